import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fg from 'fast-glob';
import { AppLoadError } from '../errors';
import type { CoreApi } from './coreApi';

/** What the worker keeps of package.json: `main` and `type`, and only when they are strings. */
export interface AppPackage {
  main: string | undefined;
  type: string | undefined;
}

/** Reads package.json the way the worker does; a missing file is an app with defaults. */
export function readAppPackage(appDir: string): AppPackage {
  const file = path.join(appDir, 'package.json');
  if (!existsSync(file)) {
    return { main: undefined, type: undefined };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AppLoadError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const pkg = (parsed ?? {}) as Record<string, unknown>;
  return {
    main: typeof pkg.main === 'string' ? pkg.main : undefined,
    type: typeof pkg.type === 'string' ? pkg.type : undefined,
  };
}

/** Expands package.json `main` (a path or a glob) into the entry points, relative to the app folder. */
export async function resolveEntryPoints(appDir: string, main: string | undefined): Promise<string[]> {
  const pattern = main ?? 'index.js';
  if (!fg.isDynamicPattern(pattern)) {
    const file = path.resolve(appDir, pattern);
    if (!existsSync(file)) {
      throw new AppLoadError(`Worker was unable to load entry point "${pattern}": File does not exist (${file}).`);
    }
    return [file];
  }
  const matches = await fg(pattern, { cwd: appDir, absolute: true, onlyFiles: true });
  if (matches.length === 0) {
    throw new AppLoadError(
      `Found zero files matching the supplied pattern "${pattern}" (package.json "main" in ${appDir}). ` +
        'Build the app first, or fix the pattern.',
    );
  }
  return matches;
}

/**
 * Loads each entry point with Node's own require or import, recording which file registered which function.
 * Node's loader is used even under a test runner, so the app runs exactly as it would under the real worker.
 */
export async function loadEntryPoints(coreApi: CoreApi, entryPoints: string[], pkg: AppPackage): Promise<void> {
  for (const file of entryPoints) {
    coreApi.currentEntryPoint = file;
    try {
      if (isEsm(file, pkg)) {
        await import(pathToFileURL(file).href);
      } else {
        createRequire(file)(file);
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new AppLoadError(`Worker was unable to load entry point "${file}": ${reason}`, { cause: error });
    } finally {
      coreApi.currentEntryPoint = undefined;
    }
  }
}

function isEsm(file: string, pkg: AppPackage): boolean {
  if (file.endsWith('.mjs')) {
    return true;
  }
  if (file.endsWith('.cjs')) {
    return false;
  }
  return pkg.type === 'module';
}
