import { randomBytes } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import type { QueueServiceClient } from '@azure/storage-queue';
import { VirtualClock } from '../../../src/clock/virtualClock';
import type { FunctionsHost } from '../../../src/host/host';
import type { EmbeddedAzurite } from '../../../src/storage/azurite';
import { QueueExtension } from '../../../src/triggers/queue/queueExtension';
import { TimerTriggerExtension } from '../../../src/triggers/timer/timerExtension';
import { prepareApp, startTestAzurite, startTestHost } from '../../helpers/testHost';
import { waitFor } from '../../helpers/waitFor';
import { RecordReader, storageClients } from '../blob/blobTestApp';

interface Fired {
  function: string;
  timer: {
    isPastDue: boolean;
    schedule: { adjustForDST: boolean };
    scheduleStatus: { last: string; next: string; lastUpdated: string } | null;
  };
}

describe('timer trigger', () => {
  let azurite: EmbeddedAzurite;
  let queues: QueueServiceClient;
  let hosts: ContainerClient;
  const running: { host: FunctionsHost; app: { remove(): void } }[] = [];

  beforeAll(async () => {
    azurite = await startTestAzurite();
    const clients = storageClients(azurite);
    queues = clients.queues;
    hosts = clients.blobs.getContainerClient('azure-webjobs-hosts');
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

  /** Starts the timer-app fixture on a virtual clock with its own record queue and, unless given, host id. */
  async function startTimerApp(options: {
    clock: VirtualClock;
    tickSchedule: string;
    values?: Record<string, string>;
    hostId?: string;
  }) {
    const suffix = randomBytes(4).toString('hex');
    const names = { RecordQueue: `timer-records-${suffix}`, hostId: options.hostId ?? `timer-${suffix}` };
    const app = prepareApp('timer-app', {
      values: { RecordQueue: names.RecordQueue, TickSchedule: options.tickSchedule, ...options.values },
    });
    const { host, logs } = await startTestHost({
      appDir: app.appDir,
      env: { AzureWebJobsStorage: azurite.connectionString, AzureFunctionsWebHost__hostid: names.hostId },
      clock: options.clock,
      extensions: [new QueueExtension(), new TimerTriggerExtension()],
    }).catch((error: unknown) => {
      app.remove();
      throw error;
    });
    running.push({ host, app });
    const records = new RecordReader<Fired>(queues.getQueueClient(names.RecordQueue));
    return { host, logs, names, records };
  }

  function statusBlob(hostId: string, functionName: string) {
    return hosts.getBlockBlobClient(`timers/${hostId}/Host.Functions.${functionName}/status`);
  }

  async function readStatus(hostId: string, functionName: string): Promise<Record<string, string> | undefined> {
    const blob = statusBlob(hostId, functionName);
    if (!(await blob.exists())) {
      return undefined;
    }
    return JSON.parse((await blob.downloadToBuffer()).toString('utf8')) as Record<string, string>;
  }

  it('fires on each occurrence of the schedule and records it in the status blob', async () => {
    const clock = new VirtualClock(new Date('2026-01-01T10:02:00Z'));
    const { names, records } = await startTimerApp({ clock, tickSchedule: '0 */5 * * * *' });
    await waitFor('the initial status', () => readStatus(names.hostId, 'tick'));

    const ticks = async (count: number) =>
      waitFor(`${count} tick(s)`, async () => {
        await clock.advance(10_000);
        const fired = (await records.read()).filter((r) => r.function === 'tick');
        return fired.length >= count && fired;
      });
    const [first] = await ticks(1);
    const afterFirst = await waitFor('the status after the run', async () => {
      const status = await readStatus(names.hostId, 'tick');
      return status?.Last?.startsWith('2026-01-01T10:05:00') && status;
    });
    const all = await ticks(2);

    expect(first?.timer).toEqual({
      isPastDue: false,
      schedule: { adjustForDST: true },
      scheduleStatus: {
        last: '0001-01-01T00:00:00',
        next: '2026-01-01T10:05:00.000+00:00',
        lastUpdated: '2026-01-01T10:02:00.000+00:00',
      },
    });
    expect(afterFirst.Next).toBe('2026-01-01T10:10:00.000+00:00');
    expect(all[1]?.timer.scheduleStatus?.last).toBe('2026-01-01T10:05:00.000+00:00');
    expect(all).toHaveLength(2);
  });

  it('runs a runOnStartup function once when the host starts, with no schedule status when the monitor is off', async () => {
    const clock = new VirtualClock(new Date('2026-01-01T10:02:00Z'));
    const { records } = await startTimerApp({ clock, tickSchedule: '0 */5 * * * *' });

    const boots = await waitFor('the start-up run', async () => {
      const fired = (await records.read()).filter((r) => r.function === 'boot');
      return fired.length > 0 && fired;
    });

    expect(boots).toEqual([
      { function: 'boot', timer: { isPastDue: false, schedule: { adjustForDST: true }, scheduleStatus: null } },
    ]);
  });

  it('runs once with isPastDue when an occurrence passed while no host was running', async () => {
    const clock = new VirtualClock(new Date('2026-01-01T10:02:00Z'));
    const hostId = `timer-${randomBytes(4).toString('hex')}`;
    const stored = JSON.stringify({
      Last: '2026-01-01T09:00:00.000+00:00',
      Next: '2026-01-01T09:05:00.000+00:00',
      LastUpdated: '2026-01-01T09:00:00.000+00:00',
    });
    await hosts.createIfNotExists();
    await statusBlob(hostId, 'tick').upload(stored, stored.length);

    const { records } = await startTimerApp({ clock, tickSchedule: '0 */5 * * * *', hostId });
    const [pastDue] = await waitFor('the past-due run', async () => {
      const fired = (await records.read()).filter((r) => r.function === 'tick');
      return fired.length > 0 && fired;
    });
    const after = await waitFor('the status after the past-due run', async () => {
      const status = await readStatus(hostId, 'tick');
      return status?.Last !== '2026-01-01T09:00:00.000+00:00' && status;
    });

    expect(pastDue?.timer.isPastDue).toBe(true);
    expect(pastDue?.timer.scheduleStatus?.next).toBe('2026-01-01T09:05:00.000+00:00');
    expect(after).toMatchObject({ Last: '2026-01-01T10:02:00.000+00:00', Next: '2026-01-01T10:05:00.000+00:00' });
  });

  it('reads cron fields in WEBSITE_TIME_ZONE', async () => {
    const clock = new VirtualClock(new Date('2026-03-07T14:00:00Z'));
    const { names } = await startTimerApp({
      clock,
      tickSchedule: '0 30 9 * * *',
      values: { WEBSITE_TIME_ZONE: 'America/New_York' },
    });

    const status = await waitFor('the initial status', () => readStatus(names.hostId, 'tick'));

    expect(status.Next).toBe('2026-03-07T14:30:00.000+00:00');
  });

  it('refuses to start when a schedule is neither cron nor TimeSpan, naming the function', async () => {
    const clock = new VirtualClock(new Date('2026-01-01T10:02:00Z'));

    await expect(startTimerApp({ clock, tickSchedule: 'every five minutes' })).rejects.toThrow(
      /Function 'tick'.*was not recognized as a valid cron expression or timespan/,
    );
  });

  it('refuses to start without AzureWebJobsStorage, naming the function and the setting', async () => {
    const app = prepareApp('timer-app', { values: { RecordQueue: 'unused', TickSchedule: '0 */5 * * * *' } });

    const start = startTestHost({
      appDir: app.appDir,
      extensions: [new TimerTriggerExtension(), new QueueExtension()],
    });

    await expect(start).rejects.toThrow(/Function 'tick'.*AzureWebJobsStorage/);
    app.remove();
  });
});
