import { ConfigurationError } from '../../../src/errors';
import type { EmbeddedAzurite } from '../../../src/storage/azurite';
import { startTestAzurite } from '../../helpers/testHost';
import { startQueueApp } from './queueTestApp';

describe('queue trigger configuration errors', () => {
  let azurite: EmbeddedAzurite;

  beforeAll(async () => {
    azurite = await startTestAzurite();
  });

  afterAll(async () => {
    await azurite?.close();
  });

  async function startFailure(options: Parameters<typeof startQueueApp>[1]): Promise<ConfigurationError> {
    const error: unknown = await startQueueApp(azurite, options).then(
      async (app) => {
        await app.stop();
        return undefined;
      },
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }

  it('stops start-up for an invalid queue name, naming the function, the property and the name', async () => {
    const error = await startFailure({ values: { EchoQueue: 'Orders_Queue' } });

    expect(error.message).toContain("Function 'echo'");
    expect(error.message).toContain("'queueName' is 'orders_queue' (from '%EchoQueue%')");
    expect(error.message).toContain('Expected 3-63 characters');
    expect(error.where).toMatchObject({ functionName: 'echo', setting: 'queueName' });
  });

  it('stops start-up when a %Setting% in a queue name is not set, naming the function and the setting', async () => {
    const error = await startFailure({ values: { FailQueue: '' } });

    expect(error.message).toBe(
      "Function 'failing': 'queueName' refers to app setting '%FailQueue%', which is not set.",
    );
    expect(error.where).toMatchObject({ functionName: 'failing', setting: 'FailQueue' });
  });

  it('stops start-up for an out-of-range host.json batchSize, naming the setting and the value', async () => {
    const error = await startFailure({ hostJson: { extensions: { queues: { batchSize: 64 } } } });

    expect(error.message).toMatch(/"extensions\.queues\.batchSize" must be an integer from 1 to 32, but is 64\.$/);
    expect(error.where.setting).toBe('extensions.queues.batchSize');
  });

  it('stops start-up for an unknown messageEncoding', async () => {
    const error = await startFailure({ hostJson: { extensions: { queues: { messageEncoding: 'utf8' } } } });

    expect(error.message).toContain('"extensions.queues.messageEncoding" must be "base64" or "none", but is "utf8".');
  });

  it('stops start-up for a blob path whose container is not a valid name, naming the function and binding', async () => {
    const error = await startFailure({ values: { BlobContainer: 'Bad_Container' } });

    expect(error.message).toContain("Function 'blobWriter': blob binding");
    expect(error.message).toContain("has path 'Bad_Container/inputs/{orderId}.txt'; expected a container name");
    expect(error.where).toMatchObject({ functionName: 'blobWriter', setting: 'path' });
  });
});
