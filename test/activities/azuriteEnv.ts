import { InvocationContext } from '@azure/functions';
import { startAzurite, type EmbeddedAzurite } from '../../platform/src/storage/azurite';
import { provisionStorage } from '../../lib/provisioning';
import { seedDemoData } from '../../lib/seed';
import { getStorage, type Storage } from '../../lib/storage';

/** A fresh in-memory Azurite with the app's resources and demo data, wired into AzureWebJobsStorage. */
export interface ActivityEnv {
  azurite: EmbeddedAzurite;
  storage: Storage;
  close(): Promise<void>;
}

/** Starts Azurite on free ports, points the app's storage setting at it, provisions and seeds. */
export async function startActivityEnv(): Promise<ActivityEnv> {
  const azurite = await startAzurite({ ports: { blob: 0, queue: 0, table: 0 } });
  const previous = process.env.AzureWebJobsStorage;
  process.env.AzureWebJobsStorage = azurite.connectionString;
  const storage = getStorage();
  await provisionStorage(storage);
  await seedDemoData(storage);
  return {
    azurite,
    storage,
    close: async () => {
      process.env.AzureWebJobsStorage = previous;
      await azurite.close();
    },
  };
}

/** A minimal invocation context for calling an activity handler directly. */
export function activityContext(functionName: string): InvocationContext {
  return new InvocationContext({ functionName, invocationId: `test-${functionName}` });
}

/** Reads a SKU's stock row. */
export async function stockOf(storage: Storage, sku: string): Promise<{ available: number; reserved: number }> {
  const row = await storage.table('Inventory').getEntity<{ available: number; reserved: number }>(sku, 'stock');
  return { available: row.available, reserved: row.reserved };
}

/** Reads a customer's ledger balance. */
export async function balanceOf(storage: Storage, customerId: string): Promise<number> {
  return (await storage.table('Ledger').getEntity<{ balanceCents: number }>(customerId, 'account')).balanceCents;
}
