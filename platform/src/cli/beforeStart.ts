import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigurationError } from '../errors';
import type { Logger } from '../host/logger';

/**
 * Runs the app's `localFunctions.beforeStart` command from package.json, once the emulators are up and before
 * the host starts: the place for local provisioning (queues, containers, demo data). Core Tools has no such hook;
 * in Azure the infrastructure templates create the same resources.
 */
export async function runBeforeStart(appDir: string, env: NodeJS.ProcessEnv, logger: Logger): Promise<void> {
  const command = readBeforeStart(appDir);
  if (!command) {
    return;
  }
  logger.info("Running the app's beforeStart command", { command });
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(command, { cwd: appDir, env, shell: true, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) {
    throw new ConfigurationError(`The app's beforeStart command failed with exit code ${String(code)}: ${command}`, {
      file: path.join(appDir, 'package.json'),
      setting: 'localFunctions.beforeStart',
    });
  }
}

function readBeforeStart(appDir: string): string | undefined {
  const file = path.join(appDir, 'package.json');
  let pkg: { localFunctions?: { beforeStart?: unknown } };
  try {
    pkg = JSON.parse(readFileSync(file, 'utf8')) as typeof pkg;
  } catch {
    return undefined;
  }
  const command = pkg.localFunctions?.beforeStart;
  return typeof command === 'string' && command.trim() !== '' ? command : undefined;
}
