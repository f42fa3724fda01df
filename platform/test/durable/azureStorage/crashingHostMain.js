// Runs a fixture app like durableHostMain.js, on a History table client that kills this process (SIGKILL) right
// after the first checkpoint transaction of one instance that leaves the checkpoint unfinished, i.e. between the
// table transactions of a checkpoint of more than 99 events. Fault injection on the real client, for crash tests.
// Usage: node platform/test/durable/azureStorage/crashingHostMain.js <appDir>  (build first: npx tsc -b platform)
// Env: AzureWebJobsStorage, CRASH_INSTANCE_ID (the instance whose unfinished checkpoint ends the process).
const path = require('node:path');
const dist = path.join(__dirname, '../../../dist');
const { FunctionsHost } = require(path.join(dist, 'host/host.js'));
const { createDefaultExtensions } = require(path.join(dist, 'host/extensionRegistry.js'));
const { createDurableExtension } = require(path.join(dist, 'durable/durableExtension.js'));
const { azureStorageBackendFactory } = require(
  path.join(dist, 'durable/backend/azureStorage/azureStorageBackendFactory.js'),
);

const instanceId = process.env.CRASH_INSTANCE_ID;

/** True for a committed table transaction of the instance whose sentinel says the checkpoint is unfinished. */
function isUnfinishedCheckpoint(request, response) {
  const body = typeof request.body === 'string' ? request.body : '';
  return (
    request.url.endsWith('$batch') &&
    response.status === 202 &&
    !/HTTP\/1\.1 [45]\d\d/.test(response.bodyAsText ?? '') &&
    body.includes(`"PartitionKey":"${instanceId}"`) &&
    body.includes('"IsCheckpointComplete":false')
  );
}

const crashPolicy = {
  name: 'crashAfterUnfinishedCheckpoint',
  async sendRequest(request, next) {
    const response = await next(request);
    if (isUnfinishedCheckpoint(request, response)) {
      process.kill(process.pid, 'SIGKILL');
    }
    return response;
  },
};

function crashingStorage(storage) {
  return {
    ...storage,
    table(name) {
      const client = storage.table(name);
      client.pipeline.addPolicy(crashPolicy);
      return client;
    },
  };
}

async function main() {
  const appDir = process.argv[2];
  if (!appDir || !instanceId) {
    throw new Error('Expected the app directory as the first argument and CRASH_INSTANCE_ID in the environment.');
  }
  const durable = createDurableExtension({
    backend: (options, context, durableOptions) =>
      azureStorageBackendFactory(
        options,
        { ...context, storage: (name) => crashingStorage(context.storage(name)) },
        durableOptions,
      ),
  });
  const extensions = [...createDefaultExtensions().filter((e) => e.name !== durable.name), durable];
  const host = await FunctionsHost.start({ appDir, port: 0, env: process.env, extensions });
  process.stdout.write(`Durable host ready ${host.port}\n`);
}

main().catch((error) => {
  process.stderr.write(`Durable host failed: ${error.stack ?? error}\n`);
  process.exit(1);
});
