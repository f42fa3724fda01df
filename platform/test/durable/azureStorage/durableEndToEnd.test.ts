import type { EmbeddedAzurite } from '../../../src/storage/azurite';
import { startTestAzurite } from '../../helpers/testHost';
import { waitFor } from '../../helpers/waitFor';
import { uniqueHubName } from './backendHarness';
import { startDurableHost } from './durableHost';

describe('Durable Functions on the Azure Storage task hub', () => {
  let azurite: EmbeddedAzurite;

  beforeAll(async () => {
    azurite = await startTestAzurite();
  });

  afterAll(async () => {
    await azurite.close();
  });

  it('completes a five-step sequence and a fan-out through Azurite', async () => {
    const hubName = uniqueHubName();
    const running = await startDurableHost(azurite.connectionString, hubName);
    try {
      const client = running.durable.client;
      const backend = running.durable.backend;

      const sequence = await client.startNew('sequence', { input: JSON.stringify({ steps: 5 }) });
      const fanOut = await client.startNew('fanOut', { input: JSON.stringify({ count: 50 }) });

      const done = await waitFor(
        'both orchestrations to complete',
        async () => {
          const states = await Promise.all([backend.getInstance(sequence), backend.getInstance(fanOut)]);
          return states.every((s) => s?.runtimeStatus === 'Completed') && states;
        },
        { timeoutMs: 30_000 },
      );
      expect(done[0]?.output).toBe('[0,1,2,3,4]');
      expect(done[1]?.output).toBe('50');
      const history = await backend.getHistory(sequence);
      expect(history.filter((e) => e.EventType === 1)).toHaveLength(1);
    } finally {
      await running.stop();
    }
  });
});
