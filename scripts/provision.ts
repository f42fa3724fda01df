/**
 * Local provisioning, run by `npm start` before the host starts: creates the app's queues, containers and tables in
 * Azurite, seeds the demo data, and writes the Service Bus emulator's Config.json. In Azure the Bicep templates create
 * the same resources and the app runs with least privilege, so the app itself never provisions.
 *
 * Usage: node dist/scripts/provision.js [--servicebus-config <file>] [--no-seed]
 * Reads AzureWebJobsStorage from the environment, else from local.settings.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { provisionStorage, serviceBusEmulatorConfig } from '../lib/provisioning';
import { seedDemoData } from '../lib/seed';
import { createStorage, toStorageTarget } from '../lib/storage';

async function main(argv: string[]): Promise<void> {
  const configIndex = argv.indexOf('--servicebus-config');
  const configFile = configIndex >= 0 ? argv[configIndex + 1] : undefined;
  const env = { ...localSettingsValues(), ...process.env };

  const storage = createStorage(toStorageTarget(env));
  await provisionStorage(storage);
  if (!argv.includes('--no-seed')) {
    await seedDemoData(storage);
  }
  if (configFile !== undefined) {
    mkdirSync(path.dirname(configFile), { recursive: true });
    writeFileSync(configFile, JSON.stringify(serviceBusEmulatorConfig(), null, 2));
  }
  console.log(
    `Provisioned storage account '${storage.accountName}'${configFile ? ' and the Service Bus config' : ''}.`,
  );
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
