// Runs one local Functions host in its own process, for tests that need several hosts sharing one Azurite.
// Usage: node platform/test/helpers/hostProcess.js <appDir>   (build first: npx tsc -b platform/tsconfig.json)
// Settings come from the environment (AzureWebJobsStorage, AzureFunctionsWebHost__hostid, …). Prints
// "Host process ready <port>" once listening and stops gracefully on SIGTERM.
const path = require('node:path');
const { FunctionsHost } = require(path.join(__dirname, '../../dist/host/host.js'));

async function main() {
  const appDir = process.argv[2];
  if (!appDir) {
    throw new Error('Expected the app directory as the first argument.');
  }
  const host = await FunctionsHost.start({ appDir, port: 0, env: process.env });
  process.stdout.write(`Host process ready ${host.port}\n`);
  process.once('SIGTERM', () => {
    host.stop().then(
      () => process.exit(0),
      (error) => {
        process.stderr.write(`Host process stop failed: ${error.message}\n`);
        process.exit(1);
      },
    );
  });
}

main().catch((error) => {
  process.stderr.write(`Host process failed: ${error.stack ?? error}\n`);
  process.exit(1);
});
