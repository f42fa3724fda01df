import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BlobServiceClient } from '@azure/storage-blob';
import type { EmbeddedAzurite } from '../../src/storage/azurite';
import { buildPlatform, startHostProcess, type HostProcess } from '../helpers/startHostProcess';
import { prepareApp, startTestAzurite } from '../helpers/testHost';
import { waitFor } from '../helpers/waitFor';

const webhooks = '/runtime/webhooks/durabletask';
const steps = 6;
// Sum of the step results (index × 10) plus the three fan-out results (1000, 1010, 1020).
const expectedOutput = (10 * (steps * (steps - 1))) / 2 + 3030;

describe('Durable hosts as separate processes on one Azure Storage task hub', () => {
  let azurite: EmbeddedAzurite;
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    buildPlatform();
    azurite = await startTestAzurite();
  }, 120_000);

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup();
    }
  });

  afterAll(async () => {
    await azurite?.close();
  });

  function prepare(hubName: string) {
    const app = prepareApp('durable-crash-app', {
      hostJson: {
        logging: { logLevel: { default: 'Warning' } },
        extensions: {
          durableTask: {
            hubName,
            maxConcurrentActivityFunctions: 4,
            maxConcurrentOrchestratorFunctions: 4,
            storageProvider: {
              partitionCount: 4,
              maxQueuePollingInterval: '00:00:01',
              controlQueueVisibilityTimeout: '00:00:10',
              workItemQueueVisibilityTimeout: '00:00:10',
              leaseInterval: '00:00:15',
              leaseRenewInterval: '00:00:02',
              leaseAcquireInterval: '00:00:01',
            },
          },
        },
      },
      values: { AzureWebJobsStorage: azurite.connectionString },
    });
    const recordDir = mkdtempSync(path.join(tmpdir(), 'durable-executions-'));
    cleanups.push(
      () => app.remove(),
      () => rmSync(recordDir, { recursive: true, force: true }),
    );
    const env = { AzureWebJobsStorage: azurite.connectionString, DURABLE_RECORD_DIR: recordDir };
    return { appDir: app.appDir, env, recordDir };
  }

  async function spawnTracked(appDir: string, env: Record<string, string>): Promise<HostProcess> {
    const host = await startHostProcess(appDir, env);
    cleanups.push(() => host.kill());
    return host;
  }

  async function startRuns(host: HostProcess, prefix: string, count: number, delayMs: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = `${prefix}-${i}`;
      const response = await fetch(`${host.baseUrl}${webhooks}/orchestrators/steps/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ run: id, steps, delayMs }),
      });
      expect(response.status).toBe(202);
      ids.push(id);
    }
    return ids;
  }

  async function waitForAll(host: HostProcess, ids: string[], timeoutMs: number) {
    return waitFor(
      `all ${ids.length} orchestrations to complete`,
      async () => {
        const statuses = await Promise.all(
          ids.map(async (id) => {
            const response = await fetch(`${host.baseUrl}${webhooks}/instances/${id}?showHistory=true`);
            return (await response.json()) as {
              runtimeStatus: string;
              output: unknown;
              historyEvents: { EventType: string }[];
            };
          }),
        );
        return statuses.every((s) => s.runtimeStatus === 'Completed') && statuses;
      },
      { timeoutMs, intervalMs: 500 },
    );
  }

  function executions(recordDir: string): { byKey: Map<string, number>; byProcess: Map<string, number> } {
    const byKey = new Map<string, number>();
    const byProcess = new Map<string, number>();
    for (const file of readdirSync(recordDir)) {
      const lines = readFileSync(path.join(recordDir, file), 'utf8').split('\n').filter(Boolean);
      byProcess.set(file, lines.length);
      for (const line of lines) {
        byKey.set(line, (byKey.get(line) ?? 0) + 1);
      }
    }
    return { byKey, byProcess };
  }

  /** How many live partition leases of the hub each host holds, as the lease blobs record them. */
  async function leaseCounts(hubName: string): Promise<Map<string, number>> {
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(
      `${hubName.toLowerCase()}-leases`,
    );
    const counts = new Map<string, number>();
    if (!(await container.exists())) {
      return counts;
    }
    for await (const blob of container.listBlobsFlat({ prefix: 'default/', includeMetadata: true })) {
      const owner = blob.metadata?.owner;
      if (blob.properties.leaseState === 'leased' && owner) {
        counts.set(owner, (counts.get(owner) ?? 0) + 1);
      }
    }
    return counts;
  }

  function expectEveryStepRan(byKey: Map<string, number>, ids: string[]): void {
    for (const id of ids) {
      for (const index of [...Array(steps).keys(), 100, 101, 102]) {
        expect(byKey.get(`${id}/${index}`) ?? 0).toBeGreaterThanOrEqual(1);
      }
    }
  }

  it('completes every orchestration after the host is killed with SIGKILL mid-run and restarted', async () => {
    const { appDir, env, recordDir } = prepare(`Crash${Date.now().toString(36)}`);
    const first = await spawnTracked(appDir, env);
    const ids = await startRuns(first, 'crash', 8, 100);
    await waitFor('some activities to run', () => executions(recordDir).byKey.size >= 10, { timeoutMs: 30_000 });
    await first.kill();
    const ranBeforeKill = executions(recordDir).byKey.size;

    const second = await spawnTracked(appDir, env);
    const statuses = await waitForAll(second, ids, 120_000);

    for (const status of statuses) {
      expect(status.output).toBe(expectedOutput);
      expect(status.historyEvents.filter((e) => e.EventType === 'ExecutionCompleted')).toHaveLength(1);
    }
    const { byKey } = executions(recordDir);
    expectEveryStepRan(byKey, ids);
    // Only work in flight at the kill may run twice: the 4 running activities, plus the activities (at most the
    // 3 of the fan-out) that each of the 4 episodes being checkpointed had already sent.
    const repeated = [...byKey.values()].filter((count) => count > 1).length;
    expect(ranBeforeKill).toBeLessThan(ids.length * (steps + 3));
    expect(repeated).toBeLessThanOrEqual(4 + 4 * 3);
  }, 180_000);

  it('shares one task hub between two hosts and completes every orchestration exactly once', async () => {
    const hubName = `Pair${Date.now().toString(36)}`;
    const { appDir, env, recordDir } = prepare(hubName);
    const [one, two] = await Promise.all([spawnTracked(appDir, env), spawnTracked(appDir, env)]);
    // A host runs the activities its own orchestrations schedule while it keeps up, so both take part only once the
    // partitions are shared. At first one host may hold all four; the other takes them over one a round, each after
    // a grace period, and twenty short orchestrations can all finish inside that window.
    const balanced = async () => [...(await leaseCounts(hubName)).values()].join() === '2,2';
    await waitFor('the two hosts to hold two control-queue partitions each', balanced, { timeoutMs: 60_000 });
    const ids = [...(await startRuns(one, 'pair-a', 10, 10)), ...(await startRuns(two, 'pair-b', 10, 10))];

    const statuses = await waitForAll(one, ids, 120_000);

    for (const status of statuses) {
      expect(status.output).toBe(expectedOutput);
      expect(status.historyEvents.filter((e) => e.EventType === 'ExecutionCompleted')).toHaveLength(1);
    }
    const { byKey, byProcess } = executions(recordDir);
    expectEveryStepRan(byKey, ids);
    expect(byProcess.size).toBe(2);
    expect(two.output()).not.toContain('Durable work item failed');
  }, 180_000);
});
