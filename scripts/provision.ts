/**
 * Local provisioning, run by `npm start` before the host starts: creates the app's queues, containers and tables in
 * Azurite and seeds the demo data. (The Service Bus broker reads its entities from servicebus-config.json.) In Azure
 * the Bicep templates create the same resources and the app runs with least privilege, so the app never provisions.
 *
 * Usage: node dist/scripts/provision.js [--no-seed]
 * Reads AzureWebJobsStorage from the environment, else from local.settings.json.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { provisionStorage } from '../lib/provisioning';
import { seedDemoData } from '../lib/seed';
import { createStorage, toStorageTarget } from '../lib/storage';

async function main(argv: string[]): Promise<void> {
  const env = { ...localSettingsValues(), ...process.env };

  const storage = createStorage(toStorageTarget(env));
  await provisionStorage(storage);
  if (!argv.includes('--no-seed')) {
    await seedDemoData(storage);
  }
  console.log(`Provisioned storage account '${storage.accountName}'.`);
}

function localSettingsValues(): Record<string, string> {
  try {
    const text = readFileSync(path.resolve('local.settings.json'), 'utf8');
    return (JSON.parse(text) as { Values?: Record<string, string> }).Values ?? {};
  } catch {
    return {};
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`Provisioning failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
