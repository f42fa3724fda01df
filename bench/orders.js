// Orders end to end: orders/s from the `orders` queue to a completed processOrder orchestration, and p50/p95
// enqueue → completed latency (goal, not asserted: ≥ 30 orders/s). The baseline, measured in the same run on the
// same Azurite, is the saga's own storage work — the four step functions called directly with the same number of
// orders in flight — so the ratio shows what the queue trigger and the Durable engine add. Azurite and the app run
// in worker threads, as under `npm start`.
// Needs `npm run build` first. BENCH_ORDERS (default 300), BENCH_BACKEND (azureStorage | memory, default
// azureStorage), BENCH_CONCURRENCY for the baseline (default 16).
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { startAzuriteThread } = require('../platform/dist/storage/azuriteThread');
const { startDurableTestHost } = require('../platform/dist/testing/durableTestHost');
const { percentile, fmt } = require('./_stats');

const root = path.join(__dirname, '..');
const orders = Number(process.env.BENCH_ORDERS ?? 300);
const backend = process.env.BENCH_BACKEND ?? 'azureStorage';
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);

function app(file) {
  return require(path.join(root, 'dist', file));
}

function order(orderId) {
  return { orderId, customerId: 'c-alice', items: [{ sku: 'sku-widget', quantity: 1 }], correlationId: orderId };
}

async function baseline(storage) {
  const { reserveLines } = app('lib/orders/inventoryStore.js');
  const { chargeOrder } = app('lib/orders/ledgerStore.js');
  const { createShipmentFor } = app('lib/orders/shipmentStore.js');
  const { containers } = app('lib/names.js');
  const at = new Date().toISOString();
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < orders) {
      const orderId = `base-${next++}`;
      await reserveLines(storage, { orderId, lines: [{ sku: 'sku-widget', quantity: 1 }], expiresAt: at });
      await chargeOrder(storage, { orderId, customerId: 'c-alice', amountCents: 250, at });
      await createShipmentFor(storage, { orderId, customerId: 'c-alice', refusedCountries: [], at });
      const text = JSON.stringify({ orderId });
      await storage
        .container(containers.outbox)
        .getBlockBlobClient(`${orderId}/confirmation.json`)
        .upload(text, text.length);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return orders / ((performance.now() - started) / 1000);
}

async function main() {
  const azurite = await startAzuriteThread({ ports: { blob: 0, queue: 0, table: 0 } });
  process.env.AzureWebJobsStorage = azurite.connectionString;
  process.env.ServiceBusConnection =
    'Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=k;SharedAccessKey=v;UseDevelopmentEmulator=true';
  const { getStorage } = app('lib/storage.js');
  const { provisionStorage } = app('lib/provisioning.js');
  const { seedDemoData } = app('lib/seed.js');
  const { toQueueMessageText } = app('lib/queueMessages.js');
  const storage = getStorage();
  await provisionStorage(storage);
  await seedDemoData(storage);

  const rawPerSecond = await baseline(storage);

  const durable = await startDurableTestHost({
    appDir: root,
    backend,
    virtualClock: false,
    workerThread: true,
    emulatorEvents: azurite.events,
    env: {
      AzureWebJobsStorage: azurite.connectionString,
      ServiceBusConnection: process.env.ServiceBusConnection,
      NIGHTLY_SCHEDULE: '0 0 2 * * *',
      AzureFunctionsJobHost__logging__logLevel__default: 'Warning',
      AzureFunctionsJobHost__extensions__durableTask__hubName: 'BenchOrders',
      AzureFunctionsJobHost__extensions__durableTask__storageProvider__maxQueuePollingInterval: '00:00:00.100',
    },
  });

  const enqueuedAt = new Map();
  const started = performance.now();
  const queue = storage.queue('orders');
  for (let index = 0; index < orders; index += 32) {
    const batch = Array.from({ length: Math.min(32, orders - index) }, (_, offset) => `bench-${index + offset}`);
    await Promise.all(
      batch.map(async (orderId) => {
        enqueuedAt.set(`order-${orderId}`, Date.now());
        await queue.sendMessage(toQueueMessageText(JSON.stringify(order(orderId))));
      }),
    );
  }

  const latencies = [];
  const pending = new Set(enqueuedAt.keys());
  const deadline = Date.now() + 600_000;
  while (pending.size > 0 && Date.now() < deadline) {
    for (const instanceId of [...pending]) {
      const instance = await durable.status(instanceId);
      if (instance && ['Completed', 'Failed', 'Terminated'].includes(instance.runtimeStatus)) {
        pending.delete(instanceId);
        latencies.push(Date.parse(instance.lastUpdatedTime) - enqueuedAt.get(instanceId));
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const seconds = (performance.now() - started) / 1000;
  const perSecond = latencies.length / seconds;

  console.log(`orders: ${latencies.length}/${orders} completed on the ${backend} task hub in ${fmt(seconds)} s`);
  console.log(`orders/s end to end: ${fmt(perSecond)} (goal >= 30)`);
  console.log(
    `enqueue -> completed latency: p50 ${fmt(percentile(latencies, 50), 0)} ms, p95 ${fmt(percentile(latencies, 95), 0)} ms`,
  );
  console.log(`baseline (saga storage work called directly, ${concurrency} in flight): ${fmt(rawPerSecond)} orders/s`);
  console.log(`ratio end to end / baseline: ${fmt(perSecond / rawPerSecond, 2)}`);

  await durable.stop();
  await azurite.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
