import { EventType, type HistoryEvent } from '../../src/durable/backend/types';
import {
  fromSentEvents,
  labelOutgoing,
  receiveInOrder,
  reorderWindowMs,
  type MessageSorterState,
} from '../../src/durable/entities/messageSorter';
import { fromSchedulerText, toSchedulerText } from '../../src/durable/entities/schedulerState';
import type { EntityRequest } from '../../src/durable/replay/decisions';

const start = Date.parse('2024-05-01T10:00:00.000Z');
const entity = '@counter@c1';

/** A sender's stream: requests labelled by one sorter, as an orchestration or entity sends them. */
function sender(parent: string, parentExecution?: string) {
  const sorter: MessageSorterState = {};
  let count = 0;
  return (at: number, destination = entity): EntityRequest =>
    labelOutgoing(
      sorter,
      { id: `${parent}-${++count}`, op: 'add', input: '1', parent, ...(parentExecution ? { parentExecution } : {}) },
      destination,
      at,
    );
}

const add = (id: string): EntityRequest => ({ id, op: 'add' });
const ids = (requests: readonly EntityRequest[]) => requests.map((r) => r.id);

describe('entity message sorter', () => {
  it('delivers a request once and drops it when it arrives again', () => {
    const send = sender('orch-1', 'exec-1');
    const receiver: MessageSorterState<EntityRequest> = {};
    const first = send(start);
    const second = send(start + 10);

    expect(ids(receiveInOrder(receiver, first))).toEqual(['orch-1-1']);
    expect(ids(receiveInOrder(receiver, first))).toEqual([]);
    expect(ids(receiveInOrder(receiver, second))).toEqual(['orch-1-2']);
    expect(ids(receiveInOrder(receiver, { ...first }))).toEqual([]);
    expect(ids(receiveInOrder(receiver, second))).toEqual([]);
  });

  it('holds a request back until its predecessor arrives, then delivers both in the order they were sent', () => {
    const send = sender('orch-1', 'exec-1');
    const receiver: MessageSorterState<EntityRequest> = {};
    const [first, second, third] = [send(start), send(start), send(start + 5)];

    expect(ids(receiveInOrder(receiver, third))).toEqual([]);
    expect(ids(receiveInOrder(receiver, second))).toEqual([]);
    expect(ids(receiveInOrder(receiver, first))).toEqual(['orch-1-1', 'orch-1-2', 'orch-1-3']);
    expect(ids(receiveInOrder(receiver, second))).toEqual([]);
  });

  it('labels each destination with increasing timestamps, even within one clock tick', () => {
    const send = sender('orch-1');

    const a1 = send(start);
    const b1 = send(start, '@counter@other');
    const a2 = send(start);

    expect(a1).toMatchObject({ Timestamp: '2024-05-01T10:00:00.000Z' });
    expect(a1.Predecessor).toBeUndefined();
    expect(b1.Predecessor).toBeUndefined();
    expect(a2).toMatchObject({ Timestamp: '2024-05-01T10:00:00.001Z', Predecessor: '2024-05-01T10:00:00.000Z' });
  });

  it('passes client signals and forwarded lock requests through every time', () => {
    const receiver: MessageSorterState<EntityRequest> = {};
    const clientSignal: EntityRequest = { id: 'client-1', op: 'add', signal: true };
    const forwarded: EntityRequest = { ...sender('orch-1')(start), lockset: [entity, '@counter@c2'], position: 1 };

    expect(ids(receiveInOrder(receiver, clientSignal))).toEqual(['client-1']);
    expect(ids(receiveInOrder(receiver, clientSignal))).toEqual(['client-1']);
    expect(ids(receiveInOrder(receiver, forwarded))).toEqual([forwarded.id]);
    expect(ids(receiveInOrder(receiver, forwarded))).toEqual([forwarded.id]);
    expect(receiver).toEqual({});
  });

  it('starts a new stream for a new execution of the sender, releasing what the old one left waiting', () => {
    const old = sender('orch-1', 'exec-1');
    const receiver: MessageSorterState<EntityRequest> = {};
    old(start);
    const stranded = old(start + 1);
    const next = sender('orch-1', 'exec-2')(start + 2);

    expect(ids(receiveInOrder(receiver, stranded))).toEqual([]);
    expect(ids(receiveInOrder(receiver, next))).toEqual([stranded.id, next.id]);
  });

  it('forgets quiet senders and stops waiting for lost predecessors once the reorder window has passed', () => {
    const quiet = sender('orch-quiet', 'exec-1');
    const waiting = sender('orch-2', 'exec-1');
    const receiver: MessageSorterState<EntityRequest> = {};
    receiveInOrder(receiver, quiet(start));
    waiting(start);
    const stuck = waiting(start + 1);
    expect(ids(receiveInOrder(receiver, stuck))).toEqual([]);

    const late = sender('orch-3', 'exec-1')(start + reorderWindowMs + 60_000);
    const delivered = receiveInOrder(receiver, late);

    expect(ids(delivered).sort()).toEqual([stuck.id, late.id].sort());
    expect(Object.keys(receiver.receivedFromInstance ?? {})).toEqual(['orch-3']);
  });

  it('forgets send clocks older than the reorder window, so no request waits for a predecessor that long gone', () => {
    const sorter: MessageSorterState = {};
    labelOutgoing(sorter, add('a'), entity, start);

    const later = labelOutgoing(sorter, add('b'), '@counter@other', start + reorderWindowMs + 60_000);
    const again = labelOutgoing(sorter, add('c'), entity, start + reorderWindowMs + 60_001);

    expect(later.Predecessor).toBeUndefined();
    expect(again.Predecessor).toBeUndefined();
    expect(Object.keys(sorter.lastSentToInstance ?? {}).sort()).toEqual([entity, '@counter@other'].sort());
  });

  it('rebuilds an orchestration’s send clocks from the requests its history sent to entities', () => {
    const send = sender('orch-1', 'exec-1');
    const first = send(start);
    const sentEvent = (instanceId: string, input: string): HistoryEvent => ({
      EventType: EventType.EventSent,
      EventId: 0,
      IsPlayed: false,
      Timestamp: new Date(start).toISOString(),
      InstanceId: instanceId,
      Name: 'add',
      Input: input,
    });
    const history = [
      sentEvent(entity, JSON.stringify(first)),
      sentEvent(entity, JSON.stringify({ id: 'release-1', op: 'release', release: true })),
      sentEvent('some-orchestration', JSON.stringify({ Timestamp: '2030-01-01T00:00:00.000Z' })),
    ];

    const replayed = fromSentEvents(history);
    const next = labelOutgoing(replayed, { id: 'orch-1-2', op: 'add', parent: 'orch-1' }, entity, start);

    expect(replayed.lastSentToInstance).toEqual({ [entity]: start + 1 });
    expect(next).toMatchObject({ Predecessor: first.Timestamp, Timestamp: '2024-05-01T10:00:00.001Z' });
  });

  it('still drops a delivered request after the scheduler state went through the Instances row', () => {
    const send = sender('orch-1', 'exec-1');
    const request = send(start);
    const before = fromSchedulerText(undefined);
    receiveInOrder((before.sorter ??= {}), request);

    const after = fromSchedulerText(toSchedulerText(before));

    expect(ids(receiveInOrder(after.sorter ?? {}, request))).toEqual([]);
    expect(ids(receiveInOrder(after.sorter ?? {}, send(start + 1)))).toEqual(['orch-1-2']);
  });
});
