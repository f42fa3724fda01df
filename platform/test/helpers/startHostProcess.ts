import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** A Functions host running in a child process (see hostProcess.js). */
export interface HostProcess {
  readonly pid: number;
  readonly port: number;
  /** Everything the process wrote so far, for failure messages. */
  output(): string;
  /** Sends SIGTERM and waits for a graceful exit (SIGKILL after the deadline). */
  stop(): Promise<void>;
}

const script = path.join(__dirname, 'hostProcess.js');
const builtHost = path.join(__dirname, '../../dist/host/host.js');

/** Starts a host for `appDir` in a new process with `env` added to this process's environment. */
export async function startHostProcess(
  appDir: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<HostProcess> {
  if (!existsSync(builtHost)) {
    throw new Error(`Expected the built platform at ${builtHost}; run 'npx tsc -b platform/tsconfig.json' first.`);
  }
  const child = spawn(process.execPath, [script, appDir], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Host process not ready after ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = () => {
      const match = /Host process ready (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(Number(match[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Host process exited with code ${code} before it was ready:\n${output}`));
    });
  });

  return { pid: child.pid ?? -1, port, output: () => output, stop: () => stopProcess(child) };
}

async function stopProcess(child: ChildProcess, timeoutMs = 20_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}
