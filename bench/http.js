// HTTP no-op function requests/s through the local Functions host vs a bare Node http server (goal: ratio >= 0.5).
// The servers run in this process, one at a time (the host twice: with the app in a worker thread as `npm start`
// runs it, and in the host's thread); the load comes from a client process: 50 keep-alive requests in
// flight for a fixed time each. Besides requests/s it prints the server's CPU time per request, which a busy
// machine disturbs less. Needs `npm run build` first. Usage: node bench/http.js [seconds] [concurrency]
const { fork } = require('node:child_process');
const { mkdirSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { fmt } = require('./_stats');

const seconds = Number(process.argv[2] ?? 3);
const concurrency = Number(process.argv[3] ?? 50);
const warmupMs = 500;

if (process.env.HTTP_BENCH_CLIENT) {
  process.once('message', (job) => runClient(job).then((result) => process.send(result)));
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

async function main() {
  const { startAzurite } = require('../platform/dist/storage/azurite.js');
  const { FunctionsHost } = require('../platform/dist/host/host.js');

  const baseline = http.createServer((request, response) => {
    request.resume();
    response.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
    response.end('ok');
  });
  baseline.keepAliveTimeout = 65_000;
  const baselinePort = await listen(baseline);
  const bare = await measure(`http://127.0.0.1:${baselinePort}/api/noop`);
  await new Promise((resolve) => baseline.close(resolve));
  baseline.closeAllConnections();

  const azurite = await startAzurite({ ports: { blob: 0, queue: 0, table: 0 } });
  const appDir = writeNoopApp();
  const hostRun = async (workerThread) => {
    const host = await FunctionsHost.start({
      appDir,
      port: 0,
      env: { AzureWebJobsStorage: azurite.connectionString },
      logSink: () => undefined,
      workerThread,
    });
    const result = await measure(`${host.baseUrl.replace('localhost', '127.0.0.1')}/api/noop`);
    await host.stop();
    return result;
  };
  const threaded = await hostRun(true);
  const sameThread = await hostRun(false);
  await azurite.close();
  rmSync(appDir, { recursive: true, force: true });

  console.log(`concurrency ${concurrency}, ${seconds} s each after ${warmupMs} ms warm-up`);
  for (const [name, result] of [
    ['bare node http server                ', bare],
    ['host, app in a worker thread (npm start)', threaded],
    ['host, app in the host thread          ', sameThread],
  ]) {
    const rps = fmt(result.rps, 0).padStart(7);
    console.log(
      `${name}  ${rps} req/s  ${fmt(result.cpuUs, 1).padStart(6)} µs server CPU/request  ${result.errors} errors`,
    );
  }
  console.log(`ratio requests/s, npm start / bare   ${fmt(threaded.rps / bare.rps, 2)}  (goal >= 0.5)`);
  console.log(`ratio requests/s, host thread / bare ${fmt(sameThread.rps / bare.rps, 2)}`);
  console.log(`ratio CPU/request, bare / npm start  ${fmt(bare.cpuUs / threaded.cpuUs, 2)}`);
}

/** A one-function app inside the repository, so it resolves @azure/functions from the repo's node_modules. */
function writeNoopApp() {
  const root = path.join(__dirname, '..', '.local', 'bench-apps');
  mkdirSync(root, { recursive: true });
  const appDir = mkdtempSync(path.join(root, 'http-noop-'));
  mkdirSync(path.join(appDir, 'src'));
  writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ main: 'src/*.js' }));
  // Per-invocation log lines are switched off: the bench measures the trigger path, not console output.
  writeFileSync(
    path.join(appDir, 'host.json'),
    JSON.stringify({ version: '2.0', logging: { logLevel: { default: 'Warning' } } }),
  );
  writeFileSync(
    path.join(appDir, 'src', 'noop.js'),
    "require('@azure/functions').app.http('noop', { methods: ['GET'], handler: () => ({ body: 'ok' }) });\n",
  );
  return appDir;
}

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

/** Runs the client process against a URL; adds this process's CPU time per request while it ran. */
function measure(url) {
  return new Promise((resolve, reject) => {
    const client = fork(__filename, [], { env: { ...process.env, HTTP_BENCH_CLIENT: '1' } });
    const cpu = process.cpuUsage();
    client.once('message', (result) => {
      const used = process.cpuUsage(cpu);
      client.kill();
      resolve({ ...result, cpuUs: (used.user + used.system) / result.total });
    });
    client.once('error', reject);
    client.send({ url, concurrency, seconds, warmupMs });
  });
}

/** Keeps `concurrency` GETs in flight; counts completions after the warm-up until the time is up. */
async function runClient({ url, concurrency, seconds, warmupMs }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let counting = false;
  let done = false;
  let completed = 0;
  let total = 0;
  let errors = 0;
  const once = () =>
    new Promise((resolve) => {
      const request = http.get(url, { agent }, (response) => {
        response.resume();
        response.once('end', () => {
          total++;
          if (counting) response.statusCode === 200 ? completed++ : errors++;
          resolve();
        });
      });
      request.once('error', () => {
        errors++;
        resolve();
      });
    });
  const loop = async () => {
    while (!done) await once();
  };
  const loops = Array.from({ length: concurrency }, loop);
  await new Promise((resolve) => setTimeout(resolve, warmupMs));
  counting = true;
  const started = process.hrtime.bigint();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  counting = false;
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  done = true;
  await Promise.all(loops);
  agent.destroy();
  return { rps: completed / elapsed, total, errors };
}
