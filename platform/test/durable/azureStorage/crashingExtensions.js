// Extensions for a host process (startHostProcess's `extensionsModule`): the default ones, with the Durable
// extension's History table clients killing the process (SIGKILL) right after the first checkpoint transaction of
// one instance that leaves the checkpoint unfinished, i.e. between the table transactions of a checkpoint of more
// than 99 events. Fault injection on the real client, for crash tests.
// Env: CRASH_INSTANCE_ID (the instance whose unfinished checkpoint ends the process).
const path = require('node:path');

/** True for a committed table transaction of the instance whose sentinel says the checkpoint is unfinished. */
function isUnfinishedCheckpoint(instanceId, request, response) {
  const body = typeof request.body === 'string' ? request.body : '';
  return (
    request.url.endsWith('$batch') &&
    response.status === 202 &&
    !/HTTP\/1\.1 [45]\d\d/.test(response.bodyAsText ?? '') &&
    body.includes(`"PartitionKey":"${instanceId}"`) &&
    body.includes('"IsCheckpointComplete":false')
  );
}

function crashingStorage(storage, instanceId) {
  const crashPolicy = {
    name: 'crashAfterUnfinishedCheckpoint',
    async sendRequest(request, next) {
      const response = await next(request);
      if (isUnfinishedCheckpoint(instanceId, request, response)) {
        process.kill(process.pid, 'SIGKILL');
      }
      return response;
    },
  };
  return {
    ...storage,
    table(name) {
      const client = storage.table(name);
      client.pipeline.addPolicy(crashPolicy);
      return client;
    },
  };
}

/** The default extensions, with the Durable one on an Azure Storage task hub whose table clients crash. */
exports.createExtensions = (dist) => {
  const instanceId = process.env.CRASH_INSTANCE_ID;
  if (!instanceId) {
    throw new Error('Expected CRASH_INSTANCE_ID in the environment: the instance whose checkpoint ends the process.');
  }
  const { createDefaultExtensions } = require(path.join(dist, 'host/extensionRegistry.js'));
  const { createDurableExtension } = require(path.join(dist, 'durable/durableExtension.js'));
  const { azureStorageBackendFactory } = require(
    path.join(dist, 'durable/backend/azureStorage/azureStorageBackendFactory.js'),
  );
  const durable = createDurableExtension({
    backend: (options, context, durableOptions) =>
      azureStorageBackendFactory(
        options,
        { ...context, storage: (name) => crashingStorage(context.storage(name), instanceId) },
        durableOptions,
      ),
  });
  return [...createDefaultExtensions().filter((e) => e.name !== durable.name), durable];
};
