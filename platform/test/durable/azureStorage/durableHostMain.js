// Runs the Azure Storage fixture app in its own process on the Durable extension with the Azure Storage task hub,
// for tests that kill a host with SIGKILL or run two hosts on one task hub.
// Usage: node platform/test/durable/azureStorage/durableHostMain.js <appDir>  (build first: npx tsc -b platform)
// AzureWebJobsStorage comes from the environment. Prints "Durable host ready <port>" once started.
const path = require('node:path');
const dist = path.join(__dirname, '../../../dist');
const { FunctionsHost } = require(path.join(dist, 'host/host.js'));
const { createDefaultExtensions } = require(path.join(dist, 'host/extensionRegistry.js'));
const { createDurableExtension } = require(path.join(dist, 'durable/durableExtension.js'));
const { azureStorageBackendFactory } = require(
  path.join(dist, 'durable/backend/azureStorage/azureStorageBackendFactory.js'),
);

async function main() {
  const appDir = process.argv[2];
  if (!appDir) {
    throw new Error('Expected the app directory as the first argument.');
  }
  const durable = createDurableExtension({ backend: azureStorageBackendFactory });
  const extensions = [...createDefaultExtensions().filter((e) => e.name !== durable.name), durable];
  const host = await FunctionsHost.start({ appDir, port: 0, env: process.env, extensions });
  process.stdout.write(`Durable host ready ${host.port}\n`);
  process.once('SIGTERM', () => {
    host.stop().then(
      () => process.exit(0),
      (error) => {
        process.stderr.write(`Durable host stop failed: ${error.message}\n`);
        process.exit(1);
      },
    );
  });
}

main().catch((error) => {
  process.stderr.write(`Durable host failed: ${error.stack ?? error}\n`);
  process.exit(1);
});
