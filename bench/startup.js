// Start-up time: `npm start` (already built) to the host's ready line, against starting raw Azurite alone.
const path = require('node:path');
const { median, fmt, timeUntilLine } = require('./_stats');

const root = path.join(__dirname, '..');
const runs = Number(process.env.BENCH_RUNS ?? 5);

async function main() {
  const host = [];
  const azurite = [];
  for (let i = 0; i < runs; i++) {
    azurite.push(
      await timeUntilLine(
        process.execPath,
        [
          '-e',
          "require('./platform/dist/storage/azurite').startAzurite({ports:{blob:0,queue:0,table:0}}).then(()=>console.log('azurite ready'))",
        ],
        /azurite ready/,
        { cwd: root },
      ),
    );
    host.push(
      await timeUntilLine(
        process.execPath,
        [path.join(root, 'platform/dist/cli/main.js'), 'start', '--in-memory', '--port', '0', '--no-servicebus'],
        /Host ready/,
        { cwd: root, env: { ...process.env, AzureWebJobsStorage: 'UseDevelopmentStorage=true' } },
      ),
    );
  }
  const hostMedian = median(host);
  const azuriteMedian = median(azurite);
  console.log(
    `start-up to ready (${runs} runs): host median ${fmt(hostMedian, 0)} ms [${host.map((v) => fmt(v, 0)).join(', ')}]`,
  );
  console.log(`baseline raw Azurite in a process: median ${fmt(azuriteMedian, 0)} ms`);
  console.log(`ratio host/Azurite: ${fmt(hostMedian / azuriteMedian, 2)} (goal: host ≤ 1500 ms)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
