// Durable engine: Sequence5 orchestrations per second on the in-memory task hub and on Azurite, a 1,000-activity
// fan-out/fan-in on Azurite, and start → completed latency of a one-activity orchestration. On Azurite the host runs
// as under `npm start`: Azurite in a worker thread with its events reaching the host, the app in another. The
// in-memory task hub runs as tests run it, app and host in one thread. Baseline on Azurite: the storage requests a
// Sequence5 needs under the provider's protocol, sent straight through the SDKs (_durableFloor.js).
// Needs `npm run build` first. BENCH_SEQUENCES (default 200), BENCH_FANOUT (default 1000) and
// BENCH_LATENCY_SAMPLES (default 20) size the runs. Goals (not asserted): ≥ 1,000/s in memory, ≥ 50/s on
// Azurite, fan-out ≤ 5 s.
const { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { randomBytes } = require('node:crypto');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { startDurableTestHost } = require('../platform/dist/testing/durableTestHost');
const { startAzuriteThread } = require('../platform/dist/storage/azuriteThread');
const { durableStorageFloor } = require('./_durableFloor');
const { percentile, fmt } = require('./_stats');

const root = path.join(__dirname, '..');
const sequences = Number(process.env.BENCH_SEQUENCES ?? 200);
const fanOut = Number(process.env.BENCH_FANOUT ?? 1000);
const latencySamples = Number(process.env.BENCH_LATENCY_SAMPLES ?? 20);

function prepareApp(hubName) {
  const parent = path.join(root, '.local/bench-apps');
  mkdirSync(parent, { recursive: true });
  const appDir = mkdtempSync(path.join(parent, 'durable-'));
  cpSync(path.join(root, 'platform/test/fixtures/durable-app'), appDir, { recursive: true });
  const hostJson = {
    version: '2.0',
    logging: { logLevel: { default: 'Warning' } },
    extensions: { durableTask: { hubName, storageProvider: { maxQueuePollingInterval: '00:00:00.100' } } },
  };
  writeFileSync(path.join(appDir, 'host.json'), JSON.stringify(hostJson));
  writeFileSync(path.join(appDir, 'local.settings.json'), JSON.stringify({ IsEncrypted: false, Values: {} }));
  return appDir;
}

async function startHost(backend, azurite) {
  const appDir = prepareApp(`Bench${randomBytes(4).toString('hex')}`);
  const durable = await startDurableTestHost({
    appDir,
    backend,
    virtualClock: false,
    workerThread: Boolean(azurite),
    emulatorEvents: azurite?.events,
    env: azurite ? { AzureWebJobsStorage: azurite.connectionString } : {},
  });
  return {
    durable,
    stop: async () => {
      await durable.stop();
      rmSync(appDir, { recursive: true, force: true });
    },
  };
}

async function waitAll(durable, ids) {
  for (const id of ids) {
    const done = await durable.waitForCompletion(id, { timeoutMs: 300_000 });
    if (done.runtimeStatus !== 'Completed') throw new Error(`${id} ended ${done.runtimeStatus}: ${done.output}`);
  }
}

/** Starts `count` Sequence5 orchestrations at once and returns completed orchestrations per second. */
async function sequenceThroughput(durable, count) {
  const started = performance.now();
  const ids = await Promise.all(Array.from({ length: count }, () => durable.startNew('sequence5')));
  await waitAll(durable, ids);
  return count / ((performance.now() - started) / 1000);
}

async function fanOutSeconds(durable, count) {
  const started = performance.now();
  await waitAll(durable, [await durable.startNew('fanOutFanIn', count)]);
  return (performance.now() - started) / 1000;
}

async function latencies(durable, samples) {
  const values = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await waitAll(durable, [await durable.startNew('single', `sample ${i}`)]);
    values.push(performance.now() - started);
  }
  return values;
}

async function main() {
  const memory = await startHost('memory');
  // Warm-up as large as the measured round: a first round of a thousand runs while the JIT is still compiling
  // the hot paths and reads about a fifth slower than every round after it.
  await sequenceThroughput(memory.durable, sequences * 5);
  const memoryRate = await sequenceThroughput(memory.durable, sequences * 5);
  const memoryFanOut = await fanOutSeconds(memory.durable, fanOut);
  await memory.stop();

  const azurite = await startAzuriteThread({ ports: { blob: 0, queue: 0, table: 0 } });
  try {
    await durableStorageFloor(azurite.connectionString, 5); // warm-up
    const floorRate = await durableStorageFloor(azurite.connectionString, sequences);
    const storage = await startHost('azureStorage', azurite);
    await sequenceThroughput(storage.durable, 5); // warm-up: tables, queues, leases
    const storageRate = await sequenceThroughput(storage.durable, sequences);
    const storageFanOut = await fanOutSeconds(storage.durable, fanOut);
    const latency = await latencies(storage.durable, latencySamples);
    await storage.stop();

    console.log(`Sequence5, in-memory task hub : ${fmt(memoryRate)} orchestrations/s (goal ≥ 1000)`);
    console.log(`Sequence5, Azurite            : ${fmt(storageRate)} orchestrations/s (goal ≥ 50)`);
    console.log(`  baseline: its storage requests alone, SDK → Azurite: ${fmt(floorRate)} /s`);
    console.log(`  engine / storage floor      : ${fmt(storageRate / floorRate, 2)}`);
    console.log(`Fan-out/fan-in ${fanOut}, in-memory: ${fmt(memoryFanOut, 2)} s`);
    console.log(`Fan-out/fan-in ${fanOut}, Azurite  : ${fmt(storageFanOut, 2)} s (goal ≤ 5)`);
    console.log(`  Azurite / in-memory         : ${fmt(storageFanOut / memoryFanOut, 2)}`);
    console.log(
      `One-activity start → completed on Azurite: p50 ${fmt(percentile(latency, 50))} ms, ` +
        `p90 ${fmt(percentile(latency, 90))} ms (${latencySamples} samples)`,
    );
  } finally {
    await azurite.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
