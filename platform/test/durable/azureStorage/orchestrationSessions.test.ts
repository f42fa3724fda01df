import { OrchestrationSessions } from '../../../src/durable/backend/azureStorage/messaging/orchestrationSessions';
import type { DequeuedMessage } from '../../../src/durable/backend/azureStorage/messaging/taskHubQueue';
import { EventType } from '../../../src/durable/backend/types';

function received(messageId: string, instanceId: string): DequeuedMessage {
  return {
    queue: 'hub-control-00',
    messageId,
    popReceipt: `receipt-${messageId}`,
    dequeueCount: 1,
    blobName: undefined,
    message: { instanceId, event: { EventType: EventType.EventRaised, EventId: -1, IsPlayed: false, Timestamp: 't' } },
  };
}

describe('orchestration sessions', () => {
  const signal = new AbortController().signal;

  it('hands out all buffered messages of an instance together, in arrival order', async () => {
    const sessions = new OrchestrationSessions();
    sessions.add(0, [received('m1', 'a'), received('m2', 'b'), received('m3', 'a')]);
    const first = await sessions.take(signal);
    expect(first?.instanceId).toBe('a');
    expect(first?.messages.map((m) => m.messageId)).toEqual(['m1', 'm3']);
    expect((await sessions.take(signal))?.instanceId).toBe('b');
  });

  it('holds messages for a locked instance until it is unlocked', async () => {
    const sessions = new OrchestrationSessions();
    sessions.add(0, [received('m1', 'a')]);
    const first = await sessions.take(signal);
    sessions.add(0, [received('m2', 'a')]);

    const timeout = AbortSignal.timeout(50);
    expect(await sessions.take(timeout)).toBeUndefined();

    sessions.unlock('a', first?.messages ?? []);
    expect((await sessions.take(signal))?.messages.map((m) => m.messageId)).toEqual(['m2']);
  });

  it('keeps one entry for a message received again, with the newest pop receipt', async () => {
    const sessions = new OrchestrationSessions();
    sessions.add(1, [received('m1', 'a')]);
    sessions.add(1, [{ ...received('m1', 'a'), popReceipt: 'newer' }]);
    const batch = await sessions.take(signal);
    expect(batch?.messages).toHaveLength(1);
    expect(batch?.messages[0]?.popReceipt).toBe('newer');
  });

  it('wakes a waiting taker when messages arrive and gives back a lost partition’s buffer', async () => {
    const sessions = new OrchestrationSessions();
    const waiting = sessions.take(signal);
    sessions.add(2, [received('m1', 'a')]);
    expect((await waiting)?.partition).toBe(2);

    sessions.add(3, [received('m2', 'b'), received('m3', 'c')]);
    expect(sessions.pendingCount(3)).toBe(2);
    expect(sessions.dropPartition(3).map((m) => m.messageId)).toEqual(['m2', 'm3']);
    expect(sessions.pendingCount(3)).toBe(0);
  });

  it('resolves waiting takers with nothing when closed', async () => {
    const sessions = new OrchestrationSessions();
    const waiting = sessions.take(signal);
    sessions.close();
    expect(await waiting).toBeUndefined();
  });
});
