import type { EmbeddedAzurite } from '../../src/storage/azurite';
import { startTestAzurite } from '../helpers/testHost';
import { createTestBackend, storageFor, uniqueHubName } from './azureStorage/backendHarness';
import { describeBackendContract } from './backendContract';

let azurite: EmbeddedAzurite;

beforeAll(async () => {
  azurite = await startTestAzurite();
});

afterAll(async () => {
  await azurite.close();
});

describeBackendContract('the Azure Storage backend on Azurite', () => {
  const { backend } = createTestBackend(storageFor(azurite.connectionString), uniqueHubName());
  return Promise.resolve({
    backend,
    now: () => Date.now(),
    passTime: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    dispose: () => backend.deleteTaskHub(),
  });
});
