import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** A Durable host in a child process (see durableHostMain.js). */
export interface DurableHostProcess {
  readonly pid: number;
  output(): string;
  /** SIGKILL: no shutdown code runs, leases and messages stay as they were. */
  kill(): Promise<void>;
  /** SIGTERM and a graceful exit (SIGKILL after the deadline). */
  stop(): Promise<void>;
}

const script = path.join(__dirname, 'durableHostMain.js');
const builtExtension = path.join(__dirname, '../../../dist/durable/backend/azureStorage/azureStorageBackendFactory.js');

/** True when the platform was built, which these tests need (`npm test` builds first). */
export function platformIsBuilt(): boolean {
  return existsSync(builtExtension);
}

/**
 * Starts the fixture app's host in a new process and waits for its ready line; `hostScript` replaces
 * durableHostMain.js with another script that prints the same line (e.g. one with injected faults).
 */
export async function startDurableHostProcess(
  appDir: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
  hostScript = script,
): Promise<DurableHostProcess> {
  if (!platformIsBuilt()) {
    throw new Error(`Expected the built platform at ${builtExtension}; run 'npx tsc -b platform/tsconfig.json' first.`);
  }
  const child = spawn(process.execPath, [hostScript, appDir], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Durable host not ready after ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = () => {
      if (output.includes('Durable host ready')) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Durable host exited with code ${code} before it was ready:\n${output}`));
    });
  });
  return {
    pid: child.pid ?? -1,
    output: () => output,
    kill: () => signalAndWait(child, 'SIGKILL'),
    stop: () => signalAndWait(child, 'SIGTERM', 30_000),
  };
}

async function signalAndWait(child: ChildProcess, signal: NodeJS.Signals, killAfterMs?: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  await exited;
  clearTimeout(timer);
}
