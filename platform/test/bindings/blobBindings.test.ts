import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import type { EmbeddedAzurite } from '../../src/storage/azurite';
import { startTestAzurite } from '../helpers/testHost';
import { waitFor } from '../helpers/waitFor';
import { logsOf, receiveJson, sendJson, startQueueApp, type QueueApp } from '../triggers/queue/queueTestApp';

describe('blob input and output bindings', () => {
  let azurite: EmbeddedAzurite;
  let app: QueueApp;
  let container: ContainerClient;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    app = await startQueueApp(azurite);
    const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString, { retryOptions: { maxTries: 1 } });
    container = blobs.getContainerClient(app.names.BlobContainer);
  });

  afterAll(async () => {
    await app?.stop();
    await azurite?.close();
  });

  async function blobNames(prefix: string): Promise<string[]> {
    const names: string[] = [];
    for await (const blob of container.listBlobsFlat({ prefix })) {
      names.push(blob.name);
    }
    return names;
  }

  it('writes output blobs at paths built from message properties, {DateTime}, {rand-guid} and metadata', async () => {
    await sendJson(app.queue(app.names.BlobQueue), { orderId: 'o-1' });
    await receiveJson(app.queue(app.names.BlobOutQueue));

    const [textBlob] = await waitFor('the text blob', async () => {
      const names = await blobNames('o-1/');
      return names.length > 0 && names;
    });
    expect(textBlob).toMatch(
      /^o-1\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.txt$/,
    );
    const text = await container.getBlobClient(textBlob ?? '').downloadToBuffer();
    expect(text.toString('utf8')).toBe('order o-1');

    const [jsonBlob] = await blobNames('by-id/');
    expect(jsonBlob).toMatch(/^by-id\/[0-9a-f-]{36}\.json$/);
    const json = await container.getBlobClient(jsonBlob ?? '').downloadToBuffer();
    expect(JSON.parse(json.toString('utf8'))).toEqual({ orderId: 'o-1', bytes: false });
  });

  it('reads an input blob named by the message as bytes, and gives null for a missing blob', async () => {
    await container.createIfNotExists();
    await container.getBlockBlobClient('inputs/o-2.txt').upload('hello', 5);

    await sendJson(app.queue(app.names.BlobQueue), { orderId: 'o-2' });
    const [found] = await receiveJson(app.queue(app.names.BlobOutQueue));
    await sendJson(app.queue(app.names.BlobQueue), { orderId: 'o-3' });
    const [missing] = await receiveJson(app.queue(app.names.BlobOutQueue));

    expect(found).toEqual({ input: 'hello' });
    expect(missing).toEqual({ input: null });
  });

  it('fails the invocation, naming the expression, when a path token has no value in the message', async () => {
    await sendJson(app.queue(app.names.BlobQueue), { customer: 'no order id' });

    const [failure] = await waitFor('the failed invocation', () => {
      const failed = logsOf(app.logs, 'Function failed', 'blobWriter');
      return failed.length > 0 && failed;
    });

    expect(String(failure?.fields.error)).toContain("needs a value for '{orderId}', but the trigger supplied none");
  });
});
