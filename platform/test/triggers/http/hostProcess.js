// Runs one FunctionsHost from platform/dist in its own process, for tests that need a fresh @azure/functions
// (HTTP streaming is a process-wide switch in the library). Prints {"baseUrl": …} on stdout once ready and log
// records as JSON lines on stderr; SIGTERM stops the host gracefully.
const { FunctionsHost } = require('../../../dist/host/host.js');

async function main() {
  const appDir = process.argv[2];
  const host = await FunctionsHost.start({
    appDir,
    port: 0,
    verbose: true,
    logSink: (record) => process.stderr.write(`${JSON.stringify(record)}\n`),
  });
  process.stdout.write(`${JSON.stringify({ baseUrl: host.baseUrl })}\n`);
  process.once('SIGTERM', () => {
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
