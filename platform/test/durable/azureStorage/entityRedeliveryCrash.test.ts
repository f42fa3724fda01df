import { EventType } from '../../../src/durable/backend/types';
import type { AzureStorageTaskHubBackend } from '../../../src/durable/backend/azureStorage/azureStorageBackend';
import type { TaskHubClient } from '../../../src/durable/client/taskHubClient';
import type { HostProcess } from '../../helpers/startHostProcess';
import { waitFor } from '../../helpers/waitFor';
import { uniqueHubName } from './backendHarness';
import { crashProvider, describeBuilt, isAlive, useHostProcessesOnAzurite } from './hostProcessHarness';
import { clientFor } from './taskHubInspection';

const crashingExtensions = require.resolve('./crashingExtensions.js');

describeBuilt(
  'Entity requests delivered again after a host dies between the state write and the message delete',
  () => {
    const harness = useHostProcessesOnAzurite();

    /** Starts a host that dies right after the entity's first state write, runs `start`, and waits for the death. */
    async function crashOnFirstStateWrite(
      appDir: string,
      entityInstanceId: string,
      start: () => Promise<unknown>,
    ): Promise<void> {
      const crashing: HostProcess = await harness.startHost(appDir, {
        env: { CRASH_INSTANCE_ID: entityInstanceId, CRASH_AFTER: 'instanceRowWrite' },
        extensionsModule: crashingExtensions,
      });
      await start();
      await waitFor('the host to die after the entity state write', () => !isAlive(crashing.pid), {
        timeoutMs: 60_000,
        intervalMs: 50,
      }).catch((error: Error) => {
        throw new Error(`${error.message}\n${crashing.output()}`);
      });
    }

    /** Waits until no control queue holds a message, visible or not: the redelivered request has been consumed. */
    async function controlQueuesDrained(backend: AzureStorageTaskHubBackend): Promise<void> {
      await waitFor(
        'the redelivered request to be consumed',
        async () => {
          for (const queue of backend.names.controlQueues) {
            const properties = await harness.storage.queue.getQueueClient(queue).getProperties();
            if ((properties.approximateMessagesCount ?? 0) > 0) {
              return false;
            }
          }
          return true;
        },
        { timeoutMs: 120_000, intervalMs: 250 },
      );
    }

    async function counterValue(client: TaskHubClient, key: string): Promise<unknown> {
      const row = await client.readEntityState({ name: 'counter', key });
      return row === undefined ? undefined : JSON.parse(row.state);
    }

    it('applies a signal from an orchestration once when a restarted host receives its message again', async () => {
      const hubName = uniqueHubName();
      const appDir = harness.prepareApp('durable-entity-redelivery-app', hubName, crashProvider);
      const { client, backend } = clientFor(harness.storage, hubName);

      await crashOnFirstStateWrite(appDir, '@counter@s1', () =>
        client.startNew('signalCounter', { instanceId: 'signaller', input: JSON.stringify({ key: 's1', amount: 5 }) }),
      );
      expect(await counterValue(client, 's1')).toBe(5);

      // The signal's message was not deleted: it reappears for the host that takes the partitions over.
      await harness.startHost(appDir);
      await controlQueuesDrained(backend);

      expect(await counterValue(client, 's1')).toBe(5);
      expect((await backend.getInstance('signaller'))?.runtimeStatus).toBe('Completed');
    }, 240_000);

    it('applies a call once and answers it once when a restarted host receives its message again', async () => {
      const hubName = uniqueHubName();
      const appDir = harness.prepareApp('durable-entity-redelivery-app', hubName, crashProvider);
      const { client, backend } = clientFor(harness.storage, hubName);

      await crashOnFirstStateWrite(appDir, '@counter@c1', () =>
        client.startNew('callCounter', { instanceId: 'caller', input: JSON.stringify({ key: 'c1', amount: 5 }) }),
      );
      expect(await counterValue(client, 'c1')).toBe(5);

      // The answer went out before the state write; the call's message is received again by the next host.
      await harness.startHost(appDir);
      const done = await waitFor(
        'the calling orchestration to complete',
        async () => {
          const state = await backend.getInstance('caller');
          return state?.runtimeStatus === 'Completed' && state;
        },
        { timeoutMs: 120_000, intervalMs: 250 },
      );
      await controlQueuesDrained(backend);

      expect(JSON.parse(done.output ?? 'null')).toBe(5);
      expect(await counterValue(client, 'c1')).toBe(5);
      const history = await backend.getHistory('caller');
      const requestId = (
        JSON.parse(history.find((e) => e.EventType === EventType.EventSent)?.Input ?? '{}') as {
          id?: string;
        }
      ).id;
      expect(history.filter((e) => e.EventType === EventType.EventRaised && e.Name === requestId)).toHaveLength(1);
    }, 240_000);
  },
);
