// Thumbnails/s through the app (upload to `images` → blob trigger → three thumbnails stored and recorded) against
// raw sharp making the same thumbnails from the same images in this process (goal, not asserted: ratio ≥ 0.8).
// Needs `npm run build` first. BENCH_IMAGES (default 40) distinct 1600×1200 JPEGs; BENCH_BLOB_CONCURRENCY is not
// used: the host's own blob trigger concurrency applies.
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const sharp = require('sharp');
const { startAzurite } = require('../platform/dist/storage/azurite');
const { startDurableTestHost } = require('../platform/dist/testing/durableTestHost');
const { fmt } = require('./_stats');

const root = path.join(__dirname, '..');
const count = Number(process.env.BENCH_IMAGES ?? 40);

function app(file) {
  return require(path.join(root, 'dist', file));
}

async function makeImages() {
  const images = [];
  for (let index = 0; index < count; index++) {
    const noise = Buffer.alloc(160 * 120 * 3);
    for (let offset = 0; offset < noise.length; offset++) noise[offset] = (offset * 7 + index * 13) % 256;
    images.push(
      await sharp(noise, { raw: { width: 160, height: 120, channels: 3 } })
        .resize(1600, 1200)
        .jpeg({ quality: 85 })
        .toBuffer(),
    );
  }
  return images;
}

async function rawSharp(images, options) {
  const { makeThumbnails } = app('lib/thumbnails/pipeline.js');
  const started = performance.now();
  for (const image of images) {
    const result = await makeThumbnails(image, options);
    if (!result.ok) throw new Error(result.reason);
  }
  return images.length / ((performance.now() - started) / 1000);
}

async function main() {
  const images = await makeImages();
  const { readConfig } = app('lib/config.js');
  const config = readConfig({});
  const options = {
    sizes: config.thumbnailSizes,
    maxInputBytes: config.thumbnailMaxInputBytes,
    maxInputPixels: config.thumbnailMaxInputPixels,
  };
  const rawPerSecond = await rawSharp(images, options);

  const azurite = await startAzurite({ ports: { blob: 0, queue: 0, table: 0 } });
  process.env.AzureWebJobsStorage = azurite.connectionString;
  const storage = app('lib/storage.js').getStorage();
  await app('lib/provisioning.js').provisionStorage(storage);
  const durable = await startDurableTestHost({
    appDir: root,
    backend: 'memory',
    virtualClock: false,
    emulatorEvents: azurite.events,
    env: {
      AzureWebJobsStorage: azurite.connectionString,
      ServiceBusConnection:
        'Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=k;SharedAccessKey=v;UseDevelopmentEmulator=true',
      NIGHTLY_SCHEDULE: '0 0 2 * * *',
      AzureFunctionsJobHost__logging__logLevel__default: 'Warning',
    },
  });

  const { readImageJob } = app('lib/thumbnails/jobStore.js');
  const started = performance.now();
  await Promise.all(
    images.map((image, index) =>
      storage.container('images').getBlockBlobClient(`bench/${index}.jpg`).uploadData(image),
    ),
  );
  const pending = new Set(images.map((_, index) => `bench/${index}.jpg`));
  const deadline = Date.now() + 600_000;
  while (pending.size > 0 && Date.now() < deadline) {
    for (const name of [...pending]) {
      const job = await readImageJob(storage, name);
      if (job && job.status !== 'pending') pending.delete(name);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const appPerSecond = (count - pending.size) / ((performance.now() - started) / 1000);

  console.log(`images: ${count - pending.size}/${count} (1600x1200 JPEG, sizes ${options.sizes.join(',')})`);
  console.log(`raw sharp in this process: ${fmt(rawPerSecond)} images/s`);
  console.log(`through the app (upload -> thumbnails stored and recorded): ${fmt(appPerSecond)} images/s`);
  console.log(`ratio app / raw sharp: ${fmt(appPerSecond / rawPerSecond, 2)} (goal >= 0.8)`);

  await durable.stop();
  await azurite.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
