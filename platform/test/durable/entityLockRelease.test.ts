import { EventType, type InstanceState } from '../../src/durable/backend/types';
import type { BackendKind } from '../../src/durable/config/durableOptions';
import type { DurableTestHost } from '../../src/testing/durableTestHost';
import { waitFor } from '../helpers/waitFor';
import type { DurableApp } from './durableApp';
import { startEntityApp, useEntityGates } from './entityGate';

function output(instance: InstanceState): unknown {
  return JSON.parse(instance.output ?? 'null');
}

describe.each<BackendKind>(['memory', 'azureStorage'])(
  'lock requests of ended orchestrations (%s task hub)',
  (backend) => {
    let app: DurableApp | undefined;
    let durable: DurableTestHost;
    const gates = useEntityGates();

    beforeAll(async () => {
      app = await startEntityApp(backend, 'Lock', { replaySchema: 'V4' });
      durable = app.durable;
    }, 60_000);

    afterAll(async () => {
      await app?.stop();
    });

    const lockRequested = (instanceId: string) =>
      waitFor('the orchestration to send its lock request', async () =>
        (await durable.history(instanceId)).some((e) => e.EventType === EventType.EventSent && e.Name === 'lock'),
      );

    const lockAndOperate = async (keys: string[]) => {
      const done = await durable.waitForCompletion(await durable.startNew('lockPair', keys), { timeoutMs: 20_000 });
      expect(done.runtimeStatus).toBe('Completed');
      return output(done);
    };

    /**
     * Sets up the race: the first account's batch holds an operation and then grants the orchestration's lock, so
     * the request is forwarded to the second account only after the orchestration has ended and sent its releases.
     * With one entity slot, the second account sees the release before the forwarded request.
     */
    const lockWhileFirstAccountHolds = async (orchestrator: string, keys: string[]) => {
      const gate = await gates.hold(durable);
      await gate.started();
      const account = await gates.hold(durable, { name: 'account', key: keys[0] as string });
      const instanceId = await durable.startNew(orchestrator, keys);
      await lockRequested(instanceId);
      gate.open();
      await account.started();
      return { instanceId, account };
    };

    it('frees both entities when the orchestration is terminated while its lock request is on its way', async () => {
      const { instanceId, account } = await lockWhileFirstAccountHolds('lockPair', ['t1', 't2']);
      await durable.client.terminate(instanceId, 'no longer needed');
      expect((await durable.waitForCompletion(instanceId)).runtimeStatus).toBe('Terminated');
      account.open();

      expect(await lockAndOperate(['t1', 't2'])).toEqual([1, 1]);
    }, 60_000);

    it('frees both entities when the orchestration fails while its lock request is on its way', async () => {
      const { instanceId, account } = await lockWhileFirstAccountHolds('lockOrGiveUp', ['f1', 'f2']);
      await durable.raiseEvent(instanceId, 'giveUp');
      expect((await durable.waitForCompletion(instanceId)).runtimeStatus).toBe('Failed');
      account.open();

      expect(await lockAndOperate(['f1', 'f2'])).toEqual([1, 1]);
    }, 60_000);

    it('frees the entity when the orchestration continues as new inside its critical section', async () => {
      const continued = await durable.startNew('lockThenContinue', { key: 'c1', generation: 0 });
      const done = await durable.waitForCompletion(continued, { timeoutMs: 20_000 });
      expect(output(done)).toBe(1);

      expect(await lockAndOperate(['c1', 'c2'])).toEqual([1, 1]);
    }, 60_000);
  },
);
