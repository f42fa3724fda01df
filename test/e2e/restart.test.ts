import path from 'node:path';
import { startHostProcess, type HostProcess } from '../../platform/test/helpers/startHostProcess';
import { startServiceBusBroker, type ServiceBusBroker } from '../../platform/src/servicebus';
import { startAzurite, type EmbeddedAzurite } from '../../platform/src/storage/azurite';
import { provisionStorage } from '../../lib/provisioning';
import { toQueueMessageText } from '../../lib/queueMessages';
import { seedDemoData } from '../../lib/seed';
import { getStorage, type Storage } from '../../lib/storage';
import { balanceOf } from '../activities/azuriteEnv';
import { appDir, waitFor, type JobBody } from './platform';

let azurite: EmbeddedAzurite;
let broker: ServiceBusBroker;
let storage: Storage;
let env: Record<string, string>;
const hosts: HostProcess[] = [];

beforeAll(async () => {
  azurite = await startAzurite({ ports: { blob: 0, queue: 0, table: 0 } });
  broker = await startServiceBusBroker({ port: 0, config: path.join(appDir, 'servicebus-config.json') });
  env = {
    AzureWebJobsStorage: azurite.connectionString,
    ServiceBusConnection: broker.connectionString,
    // Short leases and message invisibility, so the second host takes over a killed host's work within seconds.
    AzureFunctionsJobHost__extensions__durableTask__hubName: 'RestartHub',
    AzureFunctionsJobHost__extensions__durableTask__storageProvider__leaseInterval: '00:00:15',
    AzureFunctionsJobHost__extensions__durableTask__storageProvider__leaseAcquireInterval: '00:00:02',
    AzureFunctionsJobHost__extensions__durableTask__storageProvider__controlQueueVisibilityTimeout: '00:00:10',
    AzureFunctionsJobHost__extensions__durableTask__storageProvider__workItemQueueVisibilityTimeout: '00:00:10',
  };
  process.env.AzureWebJobsStorage = azurite.connectionString;
  storage = getStorage();
  await provisionStorage(storage);
  await seedDemoData(storage);
});

afterAll(async () => {
  await Promise.all(hosts.map((host) => host.stop()));
  await broker?.stop();
  await azurite?.close();
});

async function job(host: HostProcess, instanceId: string): Promise<JobBody | undefined> {
  const response = await fetch(`http://127.0.0.1:${host.port}/api/jobs/${instanceId}`);
  return response.status === 200 ? ((await response.json()) as JobBody) : undefined;
}

describe('a host killed in the middle of an order', () => {
  it('lets a new host finish the order without charging the customer twice', async () => {
    const first = await startHostProcess(appDir, env);
    hosts.push(first);
    const before = await balanceOf(storage, 'c-alice');
    // Without the Shipments table createShipment fails and retries with back-off, after the charge went through.
    await storage.table('Shipments').deleteTable();
    const text = JSON.stringify({
      orderId: 'restart-1',
      customerId: 'c-alice',
      items: [{ sku: 'sku-gizmo', quantity: 2 }],
    });
    await storage.queue('orders').sendMessage(toQueueMessageText(text));

    await waitFor('the order to wait on createShipment', async () => {
      const status = (await job(first, 'order-restart-1'))?.customStatus as { step?: string } | undefined;
      return status?.step === 'createShipment' ? true : undefined;
    });
    process.kill(first.pid, 'SIGKILL');
    await storage.table('Shipments').createTable();

    const second = await startHostProcess(appDir, env);
    hosts.push(second);
    const finished = await waitFor(
      'the order to finish on the second host',
      async () => {
        const body = await job(second, 'order-restart-1');
        return body?.runtimeStatus === 'Completed' ? body : undefined;
      },
      90_000,
    );

    expect(finished.output).toMatchObject({ status: 'completed', totalCents: 9000, shipmentId: 'shp-restart-1' });
    expect(await balanceOf(storage, 'c-alice')).toBe(before + 9000);
    const charges = [];
    for await (const entry of storage.table('Ledger').listEntities({
      queryOptions: { filter: "PartitionKey eq 'c-alice' and RowKey eq 'charge-restart-1'" },
    })) {
      charges.push(entry);
    }
    expect(charges).toHaveLength(1);
  }, 120_000);
});
