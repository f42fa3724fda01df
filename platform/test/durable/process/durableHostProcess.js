// Runs one Functions host from platform/dist in its own process, for tests that kill -9 a host or run two hosts
// on one task hub. Usage: node durableHostProcess.js <appDir>. Prints "Host ready <baseUrl>" once listening.
const { FunctionsHost } = require('../../../dist/host/host');

async function main() {
  const host = await FunctionsHost.start({
    appDir: process.argv[2],
    port: 0,
    env: { ...process.env },
    logSink: (record) => {
      if (record.level === 'error' || record.level === 'warn') {
        process.stderr.write(`${record.category} ${record.message} ${JSON.stringify(record.fields)}\n`);
      }
    },
  });
  process.stdout.write(`Host ready ${host.baseUrl}\n`);
  process.on('SIGTERM', () => {
    host.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
