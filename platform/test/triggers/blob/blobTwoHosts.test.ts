import type { EmbeddedAzurite } from '../../../src/storage/azurite';
import { startHostProcess, type HostProcess } from '../../helpers/startHostProcess';
import { prepareApp, startTestAzurite } from '../../helpers/testHost';
import { waitFor } from '../../helpers/waitFor';
import { RecordReader, storageClients, uniqueBlobAppNames } from './blobTestApp';

interface Seen {
  pid: number;
  content: string;
  triggerMetadata: { blobTrigger: string };
}

// Needs the built platform (npm test builds first; alone: npx tsc -b platform/tsconfig.json). Starting two
// host processes on a busy 2-core machine can take a while, hence the longer timeout.
jest.setTimeout(120_000);

describe('blob trigger with two host processes sharing a host id', () => {
  let azurite: EmbeddedAzurite;
  const processes: HostProcess[] = [];
  let removeApp: () => void = () => undefined;

  beforeAll(async () => {
    azurite = await startTestAzurite();
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    removeApp();
    await azurite.close();
  });

  it('runs each blob version once, because the receipts let only one host hand it over', async () => {
    const names = uniqueBlobAppNames();
    const prepared = prepareApp('blob-app', { values: { ...names } });
    removeApp = () => prepared.remove();
    const env = {
      AzureWebJobsStorage: azurite.connectionString,
      AzureFunctionsWebHost__hostid: `two-${names.RecordQueue}`,
    };
    processes.push(
      ...(await Promise.all([startHostProcess(prepared.appDir, env), startHostProcess(prepared.appDir, env)])),
    );
    const { blobs, queues } = storageClients(azurite);
    const container = blobs.getContainerClient(names.WatchedContainer);
    await container.createIfNotExists();
    const records = new RecordReader<Seen>(queues.getQueueClient(names.RecordQueue));

    const blobNames = Array.from({ length: 12 }, (_, i) => `file-${String(i).padStart(2, '0')}.txt`);
    await Promise.all(blobNames.map((name) => container.getBlockBlobClient(name).upload(name, name.length)));
    await waitFor('every blob to run', async () => (await records.read()).length >= blobNames.length, {
      timeoutMs: 60_000,
    });
    await container.getBlockBlobClient('zz-marker.txt').upload('marker', 6);
    const all = await waitFor('the marker blob to run after the others were listed', async () => {
      const read = await records.read();
      return read.some((r) => r.content === 'marker') && read;
    });

    const runs = all.map((r) => r.triggerMetadata.blobTrigger).sort();
    expect(runs).toEqual([...blobNames, 'zz-marker.txt'].map((name) => `${names.WatchedContainer}/${name}`));
    expect(processes.map((p) => p.pid)).toEqual(expect.arrayContaining([...new Set(all.map((r) => r.pid))]));
  });
});
