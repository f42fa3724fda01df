import { cpus } from 'node:os';
import type { AppSettings } from '../../config/appSettings';
import { getIgnoringCase, readPositiveNumber, readSection, type HostJson } from '../../config/hostJson';
import { ConfigurationError } from '../../errors';
import type { FunctionDefinition } from '../../host/functionIndex';
import { parseBlobPath, type BlobPathPattern } from './blobPathPattern';

/** Where a blob trigger learns about new blobs. */
export type BlobTriggerSource = 'EventGrid' | 'LogsAndContainerScan';

/** A blob-trigger function as checked at start-up. */
export interface BlobTriggerFunction {
  readonly fn: FunctionDefinition;
  readonly pattern: BlobPathPattern;
  /** Storage connection setting name. */
  readonly connection: string;
  readonly source: BlobTriggerSource;
}

/** host.json `extensions.blobs`. */
export interface BlobsOptions {
  readonly maxDegreeOfParallelism: number;
  /** Tries before a blob's message goes to `webjobs-blobtrigger-poison`. */
  readonly poisonBlobThreshold: number;
}

/** Checks a blob-trigger function's path, connection and source; errors name the function and option. */
export function toBlobTriggerFunction(fn: FunctionDefinition, settings: AppSettings): BlobTriggerFunction {
  const options = fn.trigger.options;
  if (typeof options.path !== 'string' || options.path.trim() === '') {
    throw new ConfigurationError(
      `Function '${fn.name}': the blob trigger needs a 'path' such as 'samples/{name}', but it is ` +
        `${JSON.stringify(options.path)}.`,
      { functionName: fn.name, file: fn.scriptFile, setting: 'path' },
    );
  }
  const path = settings.resolveExpressions(options.path.trim(), { functionName: fn.name, property: 'path' });
  const connection =
    typeof options.connection === 'string' && options.connection ? options.connection : 'AzureWebJobsStorage';
  const source = options.source ?? 'LogsAndContainerScan';
  if (source !== 'EventGrid' && source !== 'LogsAndContainerScan') {
    throw new ConfigurationError(
      `Function '${fn.name}': blob trigger 'source' must be 'EventGrid' or 'LogsAndContainerScan', but is ` +
        `${JSON.stringify(source)}.`,
      { functionName: fn.name, file: fn.scriptFile, setting: 'source' },
    );
  }
  return { fn, pattern: parseBlobPath(path, fn.name), connection, source };
}

/** Reads `extensions.blobs` with the storage extension's defaults (st-blobs `Config/BlobsOptions.cs`). */
export function readBlobsOptions(hostJson: HostJson): BlobsOptions {
  const section = readSection(hostJson.raw, ['extensions', 'blobs'], hostJson.file);
  const at = (key: string) => getIgnoringCase(section, key);
  return {
    maxDegreeOfParallelism: Math.floor(
      readPositiveNumber(at('maxDegreeOfParallelism'), 'extensions.blobs.maxDegreeOfParallelism', hostJson.file) ??
        8 * cpus().length,
    ),
    poisonBlobThreshold: Math.floor(
      readPositiveNumber(at('poisonBlobThreshold'), 'extensions.blobs.poisonBlobThreshold', hostJson.file) ?? 5,
    ),
  };
}
