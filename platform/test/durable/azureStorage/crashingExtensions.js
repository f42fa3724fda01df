// Extensions for a host process (startHostProcess's `extensionsModule`): the default ones, with the Durable
// extension's table clients killing the process (SIGKILL) right after a chosen storage write of one instance
// succeeded. Fault injection on the real client, for crash tests.
// Env: CRASH_INSTANCE_ID (the instance or entity, e.g. `@counter@c1`, whose write ends the process) and CRASH_AFTER:
// - `unfinishedCheckpoint` (default): the first table transaction of a checkpoint that leaves it unfinished, i.e.
//   between the transactions of a checkpoint of more than 99 events;
// - `instanceRowWrite`: the first accepted write of its Instances row, i.e. after an entity's checkpoint holds its
//   new state and before its trigger messages are deleted.
const path = require('node:path');

const crashPoints = {
  /** A committed table transaction of the instance whose sentinel says the checkpoint is unfinished. */
  unfinishedCheckpoint(instanceId, request, response) {
    const body = typeof request.body === 'string' ? request.body : '';
    return (
      request.url.endsWith('$batch') &&
      response.status === 202 &&
      !/HTTP\/1\.1 [45]\d\d/.test(response.bodyAsText ?? '') &&
      body.includes(`"PartitionKey":"${instanceId}"`) &&
      body.includes('"IsCheckpointComplete":false')
    );
  },
  /** An accepted replace of the Instances row of `instanceId` (its partition key; no escaping needed). */
  instanceRowWrite(instanceId, request, response) {
    const url = decodeURIComponent(request.url);
    return (
      request.method === 'PUT' &&
      url.includes(`Instances(PartitionKey='${instanceId}'`) &&
      response.status >= 200 &&
      response.status < 300
    );
  },
};

function crashingStorage(storage, instanceId, isCrashPoint) {
  const crashPolicy = {
    name: 'crashAfterWrite',
    async sendRequest(request, next) {
      const response = await next(request);
      if (isCrashPoint(instanceId, request, response)) {
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
    throw new Error('Expected CRASH_INSTANCE_ID in the environment: the instance whose write ends the process.');
  }
  const crashAfter = process.env.CRASH_AFTER ?? 'unfinishedCheckpoint';
  const isCrashPoint = crashPoints[crashAfter];
  if (!isCrashPoint) {
    throw new Error(
      `Expected CRASH_AFTER to be one of ${Object.keys(crashPoints).join(', ')}, but got '${crashAfter}'.`,
    );
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
        { ...context, storage: (name) => crashingStorage(context.storage(name), instanceId, isCrashPoint) },
        durableOptions,
      ),
  });
  return [...createDefaultExtensions().filter((e) => e.name !== durable.name), durable];
};
