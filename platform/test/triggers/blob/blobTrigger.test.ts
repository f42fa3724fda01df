import type { BlobServiceClient } from '@azure/storage-blob';
import type { QueueServiceClient } from '@azure/storage-queue';
import type { FunctionsHost } from '../../../src/host/host';
import type { LogRecord } from '../../../src/host/logger';
import type { EmbeddedAzurite } from '../../../src/storage/azurite';
import type { EmulatorEvents } from '../../../src/storage/emulatorEvents';
import { VirtualClock } from '../../../src/clock/virtualClock';
import { BlobExtension } from '../../../src/bindings/blob/blobExtension';
import { BlobTriggerExtension } from '../../../src/triggers/blob/blobTriggerExtension';
import { QueueExtension } from '../../../src/triggers/queue/queueExtension';
import { prepareApp, startTestAzurite, startTestHost } from '../../helpers/testHost';
import { waitFor } from '../../helpers/waitFor';
import { RecordReader, storageClients, uniqueBlobAppNames, type BlobAppNames } from './blobTestApp';

interface Seen {
  function: string;
  isBuffer: boolean;
  content: string;
  triggerMetadata: Record<string, unknown>;
}

describe('blob trigger', () => {
  let azurite: EmbeddedAzurite;
  let blobs: BlobServiceClient;
  let queues: QueueServiceClient;
  const running: { host: FunctionsHost; app: { remove(): void } }[] = [];

  beforeAll(async () => {
    azurite = await startTestAzurite();
    ({ blobs, queues } = storageClients(azurite));
  });

  afterEach(async () => {
    for (const { host, app } of running.splice(0)) {
      await host.stop();
      app.remove();
    }
  });

  afterAll(async () => {
    await azurite.close();
  });

  async function startApp(
    names: BlobAppNames,
    options: { hostId?: string; scanIntervalMs?: number; clock?: VirtualClock; emulatorEvents?: EmulatorEvents } = {},
  ): Promise<{ host: FunctionsHost; logs: LogRecord[] }> {
    const app = prepareApp('blob-app', { values: { ...names } });
    const extensions = [
      new QueueExtension(),
      new BlobExtension(),
      new BlobTriggerExtension({ scanIntervalMs: options.scanIntervalMs }),
    ];
    const env: Record<string, string> = { AzureWebJobsStorage: azurite.connectionString };
    if (options.hostId) {
      env.AzureFunctionsWebHost__hostid = options.hostId;
    }
    const { host, logs } = await startTestHost({
      appDir: app.appDir,
      env,
      extensions,
      clock: options.clock,
      emulatorEvents: options.emulatorEvents,
    });
    running.push({ host, app });
    return { host, logs };
  }

  async function upload(container: string, name: string, content: string, metadata?: Record<string, string>) {
    const client = blobs.getContainerClient(container);
    await client.createIfNotExists();
    await client.getBlockBlobClient(name).upload(content, Buffer.byteLength(content), { metadata });
  }

  it('runs the function for a blob uploaded from outside at once when the embedded emulator reports the write', async () => {
    // The clock never moves: after the first scan, only the emulator's report can bring the new blob in.
    const clock = new VirtualClock();
    const names = uniqueBlobAppNames();
    await startApp(names, { clock, emulatorEvents: azurite.events });
    const records = new RecordReader<Seen>(queues.getQueueClient(names.RecordQueue));
    const watchedContainers = 4;
    await waitFor(
      'the scanners and the dispatch listener to sleep',
      () => clock.pendingTimers >= watchedContainers + 1,
    );

    await upload(names.WatchedContainer, 'late/owl.png', 'hoot');
    const [seen] = await waitFor('the blob function to run', async () => {
      const all = await records.read();
      return all.length > 0 && all;
    });

    expect(seen).toMatchObject({ function: 'named', content: 'hoot' });
  });

  it('runs the function for a new blob with its bytes, metadata and pattern tokens', async () => {
    const names = uniqueBlobAppNames();
    await startApp(names);
    const records = new RecordReader<Seen>(queues.getQueueClient(names.RecordQueue));

    await upload(names.WatchedContainer, 'photos/cat.png', 'meow', { owner: 'ann' });
    const [seen] = await waitFor('the blob function to run', async () => {
      const all = await records.read();
      return all.length > 0 && all;
    });

    expect(seen).toMatchObject({ function: 'named', isBuffer: true, content: 'meow' });
    expect(seen?.triggerMetadata).toMatchObject({
      blobTrigger: `${names.WatchedContainer}/photos/cat.png`,
      name: 'photos/cat',
      ext: 'png',
      metadata: { owner: 'ann' },
      properties: { contentLength: 4, metadata: { owner: 'ann' } },
    });
    expect(seen?.triggerMetadata.uri).toMatch(new RegExp(`/${names.WatchedContainer}/photos/cat\\.png$`));
  });

  it('runs again when the blob changes, and not for blobs outside the pattern', async () => {
    const names = uniqueBlobAppNames();
    await startApp(names);
    const records = new RecordReader<Seen>(queues.getQueueClient(names.RecordQueue));

    await upload(names.WatchedContainer, 'no-extension', 'ignored');
    await upload(names.WatchedContainer, 'doc.txt', 'v1');
    await waitFor('the first version to run', async () => (await records.read()).length === 1);
    await upload(names.WatchedContainer, 'doc.txt', 'v2');
    const all = await waitFor('the changed blob to run', async () => {
      const read = await records.read();
      return read.length >= 2 && read;
    });

    expect(all.map((r) => r.content)).toEqual(['v1', 'v2']);
  });

  it('does not run a blob version again after a restart, because its receipt is complete', async () => {
    const names = uniqueBlobAppNames();
    // A second app folder with the same host id stands in for a restart: one process cannot load an app twice.
    const hostId = `restart-${names.RecordQueue}`;
    const first = await startApp(names, { hostId });
    const records = new RecordReader<Seen>(queues.getQueueClient(names.RecordQueue));
    await upload(names.WatchedContainer, 'once.txt', 'only once');
    await waitFor('the blob to run', async () => (await records.read()).length === 1);
    await first.host.stop();
    // Forget the scan position, so the restarted host lists the blob again and only the receipt stops it.
    const hosts = blobs.getContainerClient('azure-webjobs-hosts');
    for await (const item of hosts.listBlobsFlat({ prefix: `blobscaninfo/${hostId}/` })) {
      await hosts.deleteBlob(item.name);
    }

    const second = await startApp(names, { hostId });
    await upload(names.WatchedContainer, 'zz-marker.txt', 'listed after once.txt');
    const all = await waitFor('the marker blob to run', async () => {
      const read = await records.read();
      return read.some((r) => r.content === 'listed after once.txt') && read;
    });

    expect(all.map((r) => r.content)).toEqual(['only once', 'listed after once.txt']);
    expect(
      second.logs.some((l) => l.message === 'Executing function' && String(l.fields.reason).includes('once.txt')),
    ).toBe(false);
    const receipts: string[] = [];
    for await (const item of hosts.listBlobsFlat({ prefix: `blobreceipts/${hostId}/Host.Functions.named/` })) {
      receipts.push(item.name);
    }
    expect(receipts).toContainEqual(
      expect.stringMatching(new RegExp(`/Host\\.Functions\\.named/0x[0-9A-F]+/${names.WatchedContainer}/once\\.txt$`)),
    );
  });

  it('tries a failing function five times, then puts the real message on webjobs-blobtrigger-poison', async () => {
    const names = uniqueBlobAppNames();
    const { logs, host } = await startApp(names);
    const poison = queues.getQueueClient('webjobs-blobtrigger-poison');

    await upload(names.FailingContainer, 'bad.txt', 'bad');
    const message = await waitFor('the poison message', async () => {
      if (!(await poison.exists())) {
        return undefined;
      }
      const { peekedMessageItems } = await poison.peekMessages({ numberOfMessages: 32 });
      return peekedMessageItems
        .map((item) => JSON.parse(Buffer.from(item.messageText, 'base64').toString('utf8')) as Record<string, string>)
        .find((body) => body.ContainerName === names.FailingContainer);
    });

    expect(message).toEqual({
      Type: 'BlobTrigger',
      FunctionId: 'Host.Functions.failing',
      BlobType: 'BlockBlob',
      ContainerName: names.FailingContainer,
      BlobName: 'bad.txt',
      ETag: expect.any(String) as string,
    });
    const tries = logs.filter((l) => l.message === 'Executing function' && l.fields.function === 'failing');
    expect(tries).toHaveLength(5);
    expect(host.state).toBe('Running');
  });

  it('fires EventGrid-source functions locally from the container scan', async () => {
    const names = uniqueBlobAppNames();
    const { logs } = await startApp(names);
    const records = new RecordReader<Seen>(queues.getQueueClient(names.RecordQueue));

    await upload(names.EventGridContainer, 'event.json', '{"a":1}');
    const [seen] = await waitFor('the EventGrid function to run', async () => {
      const all = await records.read();
      return all.length > 0 && all;
    });

    expect(seen).toMatchObject({ function: 'eventGrid', content: '{"a":1}' });
    expect(logs.some((l) => String(l.fields.reason).startsWith('New blob detected(EventGrid)'))).toBe(true);
  });

  it('answers the Event Grid validation handshake and runs the function for a BlobCreated delivery', async () => {
    const names = uniqueBlobAppNames();
    await upload(names.EventGridContainer, 'before.txt', 'before');
    const { host } = await startApp(names, { scanIntervalMs: 3_600_000 });
    const records = new RecordReader<Seen>(queues.getQueueClient(names.RecordQueue));
    await waitFor('the start-up scan to run the existing blob', async () => (await records.read()).length === 1);
    const webhook = `${host.baseUrl}/runtime/webhooks/blobs?functionName=Host.Functions.eventGrid`;

    const validation = await fetch(webhook, {
      method: 'POST',
      headers: { 'aeg-event-type': 'SubscriptionValidation' },
      body: JSON.stringify([
        { eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent', data: { validationCode: 'code-1' } },
      ]),
    });
    await upload(names.EventGridContainer, 'after.txt', 'after');
    const url = blobs.getContainerClient(names.EventGridContainer).getBlobClient('after.txt').url;
    const delivery = await fetch(webhook, {
      method: 'POST',
      headers: { 'aeg-event-type': 'Notification' },
      body: JSON.stringify([{ eventType: 'Microsoft.Storage.BlobCreated', data: { url } }]),
    });
    const all = await waitFor('the delivered blob to run', async () => {
      const read = await records.read();
      return read.length >= 2 && read;
    });

    expect(validation.status).toBe(200);
    expect(await validation.json()).toEqual({ validationResponse: 'code-1' });
    expect(delivery.status).toBe(202);
    expect(all.map((r) => r.content)).toEqual(['before', 'after']);
  });

  it('runs the trigger for a blob an output binding wrote without waiting for the next scan', async () => {
    const names = uniqueBlobAppNames();
    await upload(names.CopyContainer, 'report.txt', 'copied content');
    await startApp(names, { scanIntervalMs: 3_600_000 });
    const records = new RecordReader<Seen>(queues.getQueueClient(names.RecordQueue));

    const [seen] = await waitFor('the copied blob to run', async () => {
      const all = await records.read();
      return all.length > 0 && all;
    });

    expect(seen).toMatchObject({ function: 'named', content: 'copied content' });
    expect(seen?.triggerMetadata).toMatchObject({ name: 'copied-report', ext: 'txt' });
  });

  it('refuses to start when a blob trigger connection is not configured, naming the function and setting', async () => {
    const app = prepareApp('blob-app', { values: { ...uniqueBlobAppNames() } });
    const extensions = [new BlobTriggerExtension(), new QueueExtension(), new BlobExtension()];

    const start = startTestHost({ appDir: app.appDir, extensions });

    await expect(start).rejects.toThrow(/Function 'named' \(blob trigger\).*'AzureWebJobsStorage'/);
    app.remove();
  });
});
