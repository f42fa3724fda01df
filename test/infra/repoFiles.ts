/** File access for the infra consistency tests: everything is read relative to the repository root. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Absolute path of the repository root. */
export const repoRoot = resolve(__dirname, '..', '..');

/** The folders that hold the app's code (never the local platform). */
export const appFolders = ['functions', 'orchestrators', 'activities', 'lib'] as const;

/** Reads a file given by its repository path. */
export function readRepoFile(repoPath: string): string {
  return readFileSync(join(repoRoot, repoPath), 'utf8');
}

/** Whether a repository path exists. */
export function repoFileExists(repoPath: string): boolean {
  return existsSync(join(repoRoot, repoPath));
}

/** Repository paths of every TypeScript source file (not declaration files) under the app folders. */
export function appSourceFiles(): string[] {
  return appFolders.flatMap((folder) => {
    if (!repoFileExists(folder)) return [];
    return readdirSync(join(repoRoot, folder), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
      .map((file) => `${folder}/${file.split('\\').join('/')}`)
      .sort();
  });
}
