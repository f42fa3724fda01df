// The storage floor of a Sequence5 orchestration under the Azure Storage provider's protocol, as a baseline for
// the Durable engine on Azurite: the same storage requests the engine must make, sent straight through the
// Azure SDKs with no Functions host, no replay and no polling — the start (instance lookup and insert, the start
// message), then six checkpoints (history transaction with the sentinel, instance row, delete of the trigger
// message) and five activity hand-offs (work-item message sent claimed and deleted, result message sent claimed).
const { QueueServiceClient } = require('@azure/storage-queue');
const { TableClient } = require('@azure/data-tables');
const { randomBytes, randomUUID } = require('node:crypto');
const { performance } = require('node:perf_hooks');

const payload = 'x'.repeat(200);
const claim = { visibilityTimeout: 300 };

async function prepare(connectionString) {
  const hub = `floor${randomBytes(4).toString('hex')}`;
  const queues = QueueServiceClient.fromConnectionString(connectionString);
  const control = queues.getQueueClient(`${hub}-control-00`);
  const workItems = queues.getQueueClient(`${hub}-workitems`);
  const options = { allowInsecureConnection: true };
  const history = TableClient.fromConnectionString(connectionString, `${hub}History`, options);
  const instances = TableClient.fromConnectionString(connectionString, `${hub}Instances`, options);
  await Promise.all([control.create(), workItems.create(), history.createTable(), instances.createTable()]);
  return { control, workItems, history, instances };
}

async function oneOrchestration(hub) {
  const id = randomUUID();
  const instanceRow = (status) => ({ partitionKey: id, rowKey: '', RuntimeStatus: status, Input: payload });
  await hub.instances.getEntity(id, '').catch(() => undefined);
  await hub.instances.upsertEntity(instanceRow('Pending'), 'Replace');
  let trigger = await hub.control.sendMessage(payload, claim);
  for (let step = 0; step <= 5; step++) {
    const rows = [0, 1, 2].map((i) => ['upsert', { partitionKey: id, rowKey: `${step}-${i}`, EventData: payload }]);
    rows.push(['upsert', { partitionKey: id, rowKey: 'sentinel', CheckpointEventCount: step * 3 }]);
    await hub.history.submitTransaction(rows);
    await hub.instances.upsertEntity(instanceRow(step === 5 ? 'Completed' : 'Running'), 'Replace');
    await hub.control.deleteMessage(trigger.messageId, trigger.popReceipt);
    if (step < 5) {
      const work = await hub.workItems.sendMessage(payload, claim);
      trigger = await hub.control.sendMessage(payload, claim);
      await hub.workItems.deleteMessage(work.messageId, work.popReceipt);
    }
  }
}

/** Runs `count` floor orchestrations at once against Azurite and returns them per second. */
async function durableStorageFloor(connectionString, count) {
  const hub = await prepare(connectionString);
  const started = performance.now();
  await Promise.all(Array.from({ length: count }, () => oneOrchestration(hub)));
  return count / ((performance.now() - started) / 1000);
}

module.exports = { durableStorageFloor };
