import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** A Functions host running in a child process (see hostProcess.js). */
export interface HostProcess {
  readonly pid: number;
  /** Origin of the host's HTTP server, e.g. `http://localhost:53123`. */
  readonly baseUrl: string;
  readonly port: number;
  /** Everything the process wrote so far (stdout and stderr), for failure messages. */
  output(): string;
  /** SIGKILL: no shutdown code runs, leases and messages stay as they were. */
  kill(): Promise<void>;
  /** Sends SIGTERM and waits for a graceful exit (SIGKILL after the deadline). */
  stop(): Promise<void>;
}

/** Per-use options of a host process. */
export interface HostProcessOptions {
  /** How long to wait for the ready line; default 60 s. */
  timeoutMs?: number;
  /** Log at debug level. */
  verbose?: boolean;
  /** A module whose `createExtensions(distDir)` returns the host's extensions, e.g. with faults injected. */
  extensionsModule?: string;
}

const repoRoot = path.join(__dirname, '../../..');
const script = path.join(__dirname, 'hostProcess.js');
const builtHost = path.join(__dirname, '../../dist/host/host.js');

/** True when platform/dist exists, which host processes run (`npm test` builds first). */
export function platformIsBuilt(): boolean {
  return existsSync(builtHost);
}

/** Builds platform/dist (incremental), which host processes run. */
export function buildPlatform(): void {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'platform/tsconfig.json'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
}

/** Starts a host for `appDir` in a new process with `env` added to this process's environment. */
export async function startHostProcess(
  appDir: string,
  env: Record<string, string>,
  options: HostProcessOptions = {},
): Promise<HostProcess> {
  if (!platformIsBuilt()) {
    throw new Error(`Expected the built platform at ${builtHost}; run 'npx tsc -b platform/tsconfig.json' first.`);
  }
  const args = [script, appDir, ...(options.verbose ? ['--verbose'] : [])];
  if (options.extensionsModule) {
    args.push('--extensions', options.extensionsModule);
  }
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));

  const baseUrl = await readyLine(child, () => output, options.timeoutMs ?? 60_000);

  return {
    pid: child.pid ?? -1,
    baseUrl,
    port: Number(new URL(baseUrl).port),
    output: () => output,
    kill: () => signalAndWait(child, 'SIGKILL'),
    stop: () => signalAndWait(child, 'SIGTERM', 30_000),
  };
}

/** Resolves with the base URL of the ready line; rejects when the process exits or the deadline passes first. */
function readyLine(child: ChildProcess, output: () => string, timeoutMs: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Host process not ready after ${timeoutMs} ms:\n${output()}`)),
      timeoutMs,
    );
    const onData = () => {
      const match = /Host process ready (\S+)/.exec(output());
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Host process exited (${signal ?? `code ${code}`}) before it was ready:\n${output()}`));
    });
  });
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
