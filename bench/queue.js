// Storage queue trigger: pickup latency (enqueue → handler start) while idle, and throughput through a no-op queue
// function against raw Azurite send + receive + delete with the same concurrency. Needs `npm run build` first.
// BENCH_PICKUP_SAMPLES (default 15), BENCH_MESSAGES (default 1000) and BENCH_DRAIN_ROUNDS (default 3) size the runs.
const { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { randomBytes } = require('node:crypto');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { QueueServiceClient } = require('@azure/storage-queue');
const { FunctionsHost } = require('../platform/dist/host/host');
const { startAzurite } = require('../platform/dist/storage/azurite');
const { percentile, fmt } = require('./_stats');

const root = path.join(__dirname, '..');
const pickupSamples = Number(process.env.BENCH_PICKUP_SAMPLES ?? 15);
const messageCount = Number(process.env.BENCH_MESSAGES ?? 1000);
const senders = 16;
const drainRounds = Number(process.env.BENCH_DRAIN_ROUNDS ?? 3);
const batchSize = 16;
// The extension's default on this machine: (batchSize / 2) × processor count.
const newBatchThreshold = (batchSize / 2) * os.cpus().length;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const encode = (body) => Buffer.from(JSON.stringify(body)).toString('base64');

/** Copies the bench fixture into a git-ignored folder inside the repository, so it resolves @azure/functions. */
function prepareApp(values, hostJson) {
  const parent = path.join(root, '.local/bench-apps');
  mkdirSync(parent, { recursive: true });
  const appDir = mkdtempSync(path.join(parent, 'queue-'));
  cpSync(path.join(root, 'platform/test/fixtures/queue-app-bench'), appDir, { recursive: true });
  writeFileSync(path.join(appDir, 'host.json'), JSON.stringify({ version: '2.0', ...hostJson }));
  writeFileSync(path.join(appDir, 'local.settings.json'), JSON.stringify({ IsEncrypted: false, Values: values }));
  return appDir;
}

/** Starts the bench app; `events` receives handler starts and finished invocations with performance.now(). */
async function startHost(azurite, queues, hostJson, events, beforeStart = async () => {}, hostOptions = {}) {
  const suffix = randomBytes(4).toString('hex');
  const names = {
    PickupQueue: `pickup-${suffix}`,
    SinkQueue: `sink-${suffix}`,
    KickQueue: `kick-${suffix}`,
    WakeQueue: `wake-${suffix}`,
  };
  await Promise.all(Object.values(names).map((name) => queues.getQueueClient(name).createIfNotExists()));
  await beforeStart(names);
  const appDir = prepareApp(names, hostJson);
  const host = await FunctionsHost.start({
    appDir,
    port: 0,
    env: { AzureWebJobsStorage: azurite.connectionString },
    ...hostOptions,
    logSink: (record) => {
      if (record.message === 'handler started') {
        events.emit('started', record.fields.function, performance.now());
      } else if (record.message === 'Executed function') {
        events.emit('executed', record.fields.function, performance.now());
      }
    },
  });
  return {
    names,
    stop: async () => {
      await host.stop();
      rmSync(appDir, { recursive: true, force: true });
    },
  };
}

function nextEvent(events, kind, functionName) {
  return new Promise((resolve) => {
    const listener = (fn, at) => {
      if (fn === functionName) {
        events.off(kind, listener);
        resolve(at);
      }
    };
    events.on(kind, listener);
  });
}

/** Enqueue → handler start, one message at a time, each after an idle gap long enough for full back-off. */
async function measurePickup(queue, events, functionName, gapMs) {
  const latencies = [];
  for (let i = 0; i < pickupSamples; i++) {
    await sleep(gapMs());
    const started = nextEvent(events, 'started', functionName);
    const sentAt = performance.now();
    await queue.sendMessage(encode({ i }));
    latencies.push((await started) - sentAt);
  }
  return latencies;
}

/** Handler start of `kick` → handler start of `woken`, which its output binding wakes from an idle back-off. */
async function measureWake(queue, events, gapMs) {
  const latencies = [];
  for (let i = 0; i < pickupSamples; i++) {
    await sleep(gapMs());
    const kicked = nextEvent(events, 'started', 'kick');
    const woken = nextEvent(events, 'started', 'woken');
    await queue.sendMessage(encode({ i }));
    const kickAt = await kicked;
    latencies.push((await woken) - kickAt);
  }
  return latencies;
}

/** Sends `messageCount` messages from `senders` concurrent loops. */
async function sendAll(queue) {
  let next = 0;
  const loop = async () => {
    while (next < messageCount) {
      next++;
      await queue.sendMessage(encode({ n: next }));
    }
  };
  await Promise.all(Array.from({ length: senders }, loop));
}

/** Raw consumer with the listener's concurrency: batches of 16, a new batch once in-flight ≤ the threshold. */
async function consumeRaw(queue) {
  let done = 0;
  const inFlight = new Set();
  while (done < messageCount) {
    const { receivedMessageItems } = await queue.receiveMessages({
      numberOfMessages: batchSize,
      visibilityTimeout: 600,
    });
    if (receivedMessageItems.length === 0) {
      await sleep(100);
      continue;
    }
    for (const message of receivedMessageItems) {
      const work = queue.deleteMessage(message.messageId, message.popReceipt).then(() => {
        done++;
        inFlight.delete(work);
      });
      inFlight.add(work);
    }
    while (inFlight.size > newBatchThreshold) {
      await Promise.race(inFlight);
    }
  }
  await Promise.all(inFlight);
}

/** Raw drain of `messageCount` pre-filled messages with the listener's concurrency, in messages per second. */
async function drainRaw(queues) {
  const queue = queues.getQueueClient(`raw-${randomBytes(4).toString('hex')}`);
  await queue.create();
  await sendAll(queue);
  const started = performance.now();
  await consumeRaw(queue);
  const rate = messageCount / ((performance.now() - started) / 1000);
  await queue.delete();
  return rate;
}

/**
 * One host round: drain `messageCount` messages sent before it started, through the no-op `sink` function, then
 * stream another `messageCount` (16 senders while the host takes them, starting right after the drain).
 */
async function hostRound(azurite, queues, events) {
  let sink;
  const drained = untilSinkExecuted(events);
  const host = await startHost(azurite, queues, {}, events, async (names) => {
    sink = queues.getQueueClient(names.SinkQueue);
    await sendAll(sink);
  });
  let started = performance.now();
  await drained.promise;
  await untilEmpty(sink);
  const drain = messageCount / ((performance.now() - started) / 1000);
  drained.dispose();

  const streamed = untilSinkExecuted(events);
  started = performance.now();
  await Promise.all([sendAll(sink), streamed.promise]);
  await untilEmpty(sink);
  const stream = messageCount / ((performance.now() - started) / 1000);
  streamed.dispose();
  await host.stop();
  return { drain, stream };
}

/** Raw send+receive+delete at once: 16 senders while the raw consumer takes messages, polling every 100 ms. */
async function streamRaw(queues) {
  const queue = queues.getQueueClient(`raw-${randomBytes(4).toString('hex')}`);
  await queue.create();
  const started = performance.now();
  await Promise.all([sendAll(queue), consumeRaw(queue)]);
  const rate = messageCount / ((performance.now() - started) / 1000);
  await queue.delete();
  return rate;
}

function untilSinkExecuted(events) {
  let executed = 0;
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  const listener = (fn) => {
    if (fn === 'sink' && ++executed === messageCount) resolve();
  };
  events.on('executed', listener);
  return { promise, dispose: () => events.off('executed', listener) };
}

/** The message is deleted just after "Executed function"; wait for the queue to be empty too. */
async function untilEmpty(queue) {
  while ((await queue.getProperties()).approximateMessagesCount > 0) {
    await sleep(5);
  }
}

function describe(label, values) {
  const line = `p50 ${fmt(percentile(values, 50), 0)} ms, p95 ${fmt(percentile(values, 95), 0)} ms`;
  console.log(`${label}: ${line} (n=${values.length})`);
}

async function main() {
  const { EventEmitter } = require('node:events');
  const azurite = await startAzurite({ ports: { blob: 0, queue: 0, table: 0 } });
  // Retries cover keep-alive resets after the idle gaps; nothing is sent after Azurite closes.
  const retryOptions = { maxTries: 4, retryDelayInMs: 20 };
  const queues = QueueServiceClient.fromConnectionString(azurite.connectionString, { retryOptions });
  const events = new EventEmitter();
  const idleGap = () => 3_500 + Math.random() * 1_500;

  const host = await startHost(azurite, queues, {}, events);
  const pickup = await measurePickup(queues.getQueueClient(host.names.PickupQueue), events, 'pickup', idleGap);
  const wake = await measureWake(queues.getQueueClient(host.names.KickQueue), events, idleGap);
  await host.stop();

  // As `npm start` runs it: the embedded Azurite tells the host when a message lands.
  const woken = await startHost(azurite, queues, {}, events, undefined, { emulatorEvents: azurite.events });
  const arrivalPickup = await measurePickup(queues.getQueueClient(woken.names.PickupQueue), events, 'pickup', idleGap);
  await woken.stop();

  const fastHostJson = { extensions: { queues: { maxPollingInterval: '00:00:00.100' } } };
  const fast = await startHost(azurite, queues, fastHostJson, events);
  const fastPickup = await measurePickup(queues.getQueueClient(fast.names.PickupQueue), events, 'pickup', () => 500);
  await fast.stop();

  // Azurite's request path is slow until the JIT warms it up; one unmeasured raw drain first. Then raw and host
  // rounds alternate so machine load affects both alike, and the median of each is reported.
  await drainRaw(queues);
  const rounds = { rawDrain: [], rawStream: [], hostDrain: [], hostStream: [] };
  for (let round = 0; round < drainRounds; round++) {
    rounds.rawDrain.push(await drainRaw(queues));
    rounds.rawStream.push(await streamRaw(queues));
    const { drain, stream } = await hostRound(azurite, queues, events);
    rounds.hostDrain.push(drain);
    rounds.hostStream.push(stream);
  }
  await azurite.close();

  describe('queue pickup, idle, default maxPollingInterval 2 s (Development)', pickup);
  describe('queue pickup, idle, embedded Azurite arrival notice (npm start)', arrivalPickup);
  describe('queue pickup, idle, maxPollingInterval 00:00:00.100', fastPickup);
  describe('queue pickup through an output binding of the same host (wake-up), kick start → woken start', wake);
  console.log('goal: idle pickup p50 ≤ 150 ms');
  const setup = `${messageCount} messages, batch ${batchSize}, threshold ${newBatchThreshold}, ${drainRounds} rounds`;
  const list = (values) => `[${values.map((v) => fmt(v, 0)).join(', ')}]`;
  const median = (values) => percentile(values, 50);
  console.log(
    `drain throughput (${setup}): host ${fmt(median(rounds.hostDrain), 0)} msg/s ${list(rounds.hostDrain)}, ` +
      `raw Azurite receive+delete ${fmt(median(rounds.rawDrain), 0)} msg/s ${list(rounds.rawDrain)}`,
  );
  console.log(`ratio host/raw (drain): ${fmt(median(rounds.hostDrain) / median(rounds.rawDrain), 2)} (goal ≥ 0.8)`);
  console.log(
    `streaming throughput (${setup}, ${senders} senders at once): host ${fmt(median(rounds.hostStream), 0)} msg/s ` +
      `${list(rounds.hostStream)}, raw send+receive+delete polling every 100 ms ` +
      `${fmt(median(rounds.rawStream), 0)} msg/s ${list(rounds.rawStream)}`,
  );
  console.log(
    `ratio host/raw (streaming): ${fmt(median(rounds.hostStream) / median(rounds.rawStream), 2)} (goal ≥ 0.8)`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
