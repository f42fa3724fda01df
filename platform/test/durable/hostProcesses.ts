import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const repoRoot = path.join(__dirname, '../../..');

/** Builds platform/dist (incremental), which the host processes run. */
export function buildPlatform(): void {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'platform/tsconfig.json'], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
}

/** A Functions host in its own process. */
export interface HostProcess {
  readonly baseUrl: string;
  readonly pid: number;
  /** stderr so far: warnings and errors of the host. */
  readonly stderr: () => string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Spawns `durableHostProcess.js` for an app and resolves once it prints "Host ready". */
export function spawnHost(appDir: string, env: Record<string, string>, timeoutMs = 60_000): Promise<HostProcess> {
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, 'process/durableHostProcess.js'), appDir], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Host did not start within ${timeoutMs} ms: ${stderr}`)),
      timeoutMs,
    );
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /Host ready (\S+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({
          baseUrl: match[1],
          pid: child.pid ?? 0,
          stderr: () => stderr,
          kill: async (signal) => {
            child.kill(signal);
            await exited;
          },
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Host exited with code ${String(code)} before it was ready: ${stderr}`));
    });
  });
}
