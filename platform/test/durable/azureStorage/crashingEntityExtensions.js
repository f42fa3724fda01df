// Extensions for a host process (startHostProcess's `extensionsModule`): the default ones, with the Durable
// extension's table clients killing the process (SIGKILL) right after the first write of one entity's Instances row
// that storage accepted, i.e. after the entity's checkpoint holds its new state and before its trigger messages are
// deleted. Fault injection on the real client, for crash tests.
// Env: CRASH_INSTANCE_ID (the entity, e.g. `@counter@c1`, whose first state write ends the process).
const path = require('node:path');

/** True for an accepted replace of the Instances row of `instanceId` (its partition key; no escaping needed). */
function isInstanceRowWrite(instanceId, request, response) {
  const url = decodeURIComponent(request.url);
  return (
    request.method === 'PUT' &&
    url.includes(`Instances(PartitionKey='${instanceId}'`) &&
    response.status >= 200 &&
    response.status < 300
  );
}

function crashingStorage(storage, instanceId) {
  const crashPolicy = {
    name: 'crashAfterEntityStateWrite',
    async sendRequest(request, next) {
      const response = await next(request);
      if (isInstanceRowWrite(instanceId, request, response)) {
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
    throw new Error('Expected CRASH_INSTANCE_ID in the environment: the entity whose state write ends the process.');
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
