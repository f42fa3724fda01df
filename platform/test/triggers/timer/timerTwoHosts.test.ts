import { randomBytes } from 'node:crypto';
import type { EmbeddedAzurite } from '../../../src/storage/azurite';
import { startHostProcess, type HostProcess } from '../../helpers/startHostProcess';
import { prepareApp, startTestAzurite } from '../../helpers/testHost';
import { waitFor } from '../../helpers/waitFor';
import { RecordReader, storageClients } from '../blob/blobTestApp';

interface Run {
  pid: number;
  start: number;
  end: number;
}

// Needs the built platform (npm test builds first; alone: npx tsc -b platform/tsconfig.json). Starting two
// host processes on a busy 2-core machine can take a while, hence the longer timeout.
jest.setTimeout(120_000);

describe('timer trigger with two host processes sharing a host id', () => {
  let azurite: EmbeddedAzurite;
  let processes: HostProcess[] = [];
  let removeApp: () => void = () => undefined;
  let runs: Run[] = [];
  let records: RecordReader<Run>;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    const recordQueue = `timer-two-${randomBytes(4).toString('hex')}`;
    const app = prepareApp('timer-app-fast', { values: { RecordQueue: recordQueue } });
    removeApp = () => app.remove();
    const env = { AzureWebJobsStorage: azurite.connectionString, AzureFunctionsWebHost__hostid: recordQueue };
    processes = await Promise.all([startHostProcess(app.appDir, env), startHostProcess(app.appDir, env)]);

    // The function fires every second and runs for 1.5 s; four runs give three chances to fire twice or overlap.
    records = new RecordReader<Run>(storageClients(azurite).queues.getQueueClient(recordQueue));
    runs = await waitFor(
      'four timer runs',
      async () => {
        const read = await records.read();
        return read.length >= 4 && [...read];
      },
      { timeoutMs: 60_000 },
    );
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    removeApp();
    await azurite.close();
  });

  it('fires only on the host that holds the listener lock', () => {
    expect(new Set(runs.map((run) => run.pid)).size).toBe(1);
    expect(processes.map((p) => p.pid)).toContain(runs[0]?.pid);
  });

  it('never starts a run before the previous one ended', () => {
    const ordered = [...runs].sort((a, b) => a.start - b.start);

    ordered.slice(1).forEach((run, index) => {
      expect(run.start).toBeGreaterThanOrEqual(ordered[index]?.end ?? Infinity);
    });
  });

  it('lets the other host take the lock and fire once the owner stops', async () => {
    const owner = processes.find((p) => p.pid === runs[0]?.pid);
    const other = processes.find((p) => p !== owner);
    await owner?.stop();

    const taken = await waitFor(
      'a run on the other host',
      async () => (await records.read()).find((run) => run.pid === other?.pid),
      { timeoutMs: 60_000 },
    );

    expect(taken.pid).toBe(other?.pid);
  });
});
