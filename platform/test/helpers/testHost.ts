import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FunctionsHost, type HostOptions } from '../../src/host/host';
import type { LogRecord } from '../../src/host/logger';
import { startAzurite, type EmbeddedAzurite } from '../../src/storage/azurite';

/** A fresh in-memory Azurite on free ports, for one test file. */
export function startTestAzurite(): Promise<EmbeddedAzurite> {
  return startAzurite({ ports: { blob: 0, queue: 0, table: 0 } });
}

/**
 * Copies a fixture app into a temporary folder with its own host.json and local.settings.json, so each test
 * file can set host options without touching the fixture.
 */
export function prepareApp(
  fixture: string,
  files: { hostJson?: object; values?: Record<string, string> } = {},
): { appDir: string; remove(): void } {
  // Inside the repository (git-ignored .local/) so the app resolves @azure/functions from its node_modules.
  const root = path.join(__dirname, '../../../.local/test-apps');
  mkdirSync(root, { recursive: true });
  const appDir = mkdtempSync(path.join(root, `${fixture}-`));
  cpSync(path.join(__dirname, '../fixtures', fixture), appDir, { recursive: true });
  writeFileSync(path.join(appDir, 'host.json'), JSON.stringify({ version: '2.0', ...files.hostJson }));
  writeFileSync(
    path.join(appDir, 'local.settings.json'),
    JSON.stringify({ IsEncrypted: false, Values: files.values ?? {} }),
  );
  return { appDir, remove: () => rmSync(appDir, { recursive: true, force: true }) };
}

/** Starts an in-process host on a free port, collecting its log records. */
export async function startTestHost(
  options: Omit<HostOptions, 'port' | 'env'> & { env?: NodeJS.ProcessEnv },
): Promise<{ host: FunctionsHost; logs: LogRecord[] }> {
  const logs: LogRecord[] = [];
  const host = await FunctionsHost.start({
    port: 0,
    env: { ...options.env },
    logSink: (record) => logs.push(record),
    ...options,
  });
  return { host, logs };
}
