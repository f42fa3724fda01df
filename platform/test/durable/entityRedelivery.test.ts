import { EventType, type InstanceState } from '../../src/durable/backend/types';
import { fromSchedulerText } from '../../src/durable/entities/schedulerState';
import type { EntityRequest } from '../../src/durable/replay/decisions';
import type { DurableTestHost } from '../../src/testing/durableTestHost';
import { waitFor } from '../helpers/waitFor';
import { startDurableApp, type DurableApp } from './durableApp';

function output(instance: InstanceState): unknown {
  return JSON.parse(instance.output ?? 'null');
}

/**
 * A message delivered again, as the queue does when a host dies after the entity's checkpoint and before the
 * message's deletion: here sent again from the orchestration's history, where each request is recorded as sent.
 */
describe('entity requests delivered again (memory task hub)', () => {
  let app: DurableApp | undefined;
  let durable: DurableTestHost;

  beforeAll(async () => {
    app = await startDurableApp({
      fixture: 'durable-entity-redelivery-app',
      hubName: `Redeliver${Date.now().toString(36)}`,
      replaySchema: 'V4',
      logLevel: 'Warning',
    });
    durable = app.durable;
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
  });

  const counter = async (key: string): Promise<unknown> => {
    const row = await durable.client.readEntityState({ name: 'counter', key });
    return row === undefined ? undefined : JSON.parse(row.state);
  };

  const lockedBy = async (key: string): Promise<string | undefined> =>
    fromSchedulerText((await durable.status(`@counter@${key}`))?.customStatus).lockedBy;

  /** The requests the orchestration sent to entities, in history order, optionally only those named `name`. */
  const sentRequests = async (instanceId: string, name?: string) =>
    (await durable.history(instanceId))
      .filter((e) => e.EventType === EventType.EventSent && (name === undefined || e.Name === name))
      .map((e) => ({ target: e.InstanceId ?? '', request: JSON.parse(e.Input ?? '{}') as EntityRequest }));

  const deliverAgain = async (target: string, request: EntityRequest) => {
    await durable.client.raiseEvent(target, 'op', JSON.stringify(request));
  };

  it('applies a signal from an orchestration once when its message arrives again', async () => {
    const instanceId = await durable.startNew('signalCounter', { key: 's1', amount: 5 });
    await durable.waitForCompletion(instanceId);
    await durable.waitForIdle();
    expect(await counter('s1')).toBe(5);

    for (const { target, request } of await sentRequests(instanceId)) {
      await deliverAgain(target, request);
    }
    await durable.waitForIdle();

    expect(await counter('s1')).toBe(5);
  });

  it('applies a call once when its message arrives again after the answer', async () => {
    const instanceId = await durable.startNew('callCounter', { key: 'c1', amount: 5 });
    expect(output(await durable.waitForCompletion(instanceId))).toBe(5);

    for (const { target, request } of await sentRequests(instanceId)) {
      await deliverAgain(target, request);
    }
    await durable.waitForIdle();

    expect(await counter('c1')).toBe(5);
  });

  it('does not lock again for a lock request that arrives again after its release', async () => {
    const first = await durable.startNew('lockCounters', { keys: ['k1', 'k2'], amount: 1 });
    expect(output(await durable.waitForCompletion(first))).toEqual([1, 1]);
    await durable.waitForIdle();

    // The request to the first entity, and the one it forwarded to the second when it granted its lock.
    const [lock] = await sentRequests(first, 'lock');
    const forwarded = { ...lock?.request, position: 1 } as EntityRequest;
    await deliverAgain(lock?.target ?? '', lock?.request as EntityRequest);
    await deliverAgain(forwarded.lockset?.[1] ?? '', forwarded);
    await durable.waitForIdle();

    expect([await lockedBy('k1'), await lockedBy('k2')]).toEqual([undefined, undefined]);
    const second = await durable.startNew('lockCounters', { keys: ['k1', 'k2'], amount: 1 });
    expect(output(await durable.waitForCompletion(second, { timeoutMs: 10_000 }))).toEqual([2, 2]);
  });

  it('keeps a later lock of the same orchestration when the release of its earlier lock arrives again', async () => {
    const instanceId = await durable.startNew('lockTwice', 'r1');
    await waitFor('the second lock to be granted', async () => {
      const locks = await sentRequests(instanceId, 'lock');
      const granted = (await durable.history(instanceId)).filter((e) => e.EventType === EventType.EventRaised);
      return locks.length === 2 && granted.some((e) => e.Name === locks[1]?.request.id);
    });

    const [release] = await sentRequests(instanceId, 'release');
    await deliverAgain(release?.target ?? '', release?.request as EntityRequest);
    await durable.waitForIdle();

    expect(await lockedBy('r1')).toBe(instanceId);
    await durable.raiseEvent(instanceId, 'go');
    expect(output(await durable.waitForCompletion(instanceId))).toBe(2);
    await durable.waitForIdle();
    expect(await lockedBy('r1')).toBeUndefined();
  });
});
