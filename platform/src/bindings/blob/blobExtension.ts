import { PlatformBugError } from '../../errors';
import type { Extension, HostContext, InvocationInfo } from '../../host/extension';
import type { BindingDefinition } from '../../host/functionIndex';
import type { StorageAccount } from '../../storage/storageAccount';
import type { RpcTypedData } from '../../worker/rpc';
import { BindingExpressionError, resolveBindingExpressions } from '../bindingExpressions';
import { isStorageError } from '../storageErrors';
import { storageFor } from '../storageConnection';
import { fromRpcTypedDataToItem } from '../typedDataValues';
import { checkBlobPath, isValidContainerName, toBlobLocation, type BlobLocation } from './blobPath';

interface PreparedBlobBinding {
  readonly account: StorageAccount;
  /** The path with `%Setting%` resolved; `{token}` expressions are resolved per invocation. */
  readonly path: string;
  readonly dataType: string | undefined;
}

/**
 * The `blob` input and output bindings. Output writes the value to the path (creating the container, as the real
 * binding does) and tells the host, so a blob trigger in the same host sees the blob without waiting for a scan.
 * Input reads the blob as bytes (`dataType: 'string'` gives text); a missing blob is null.
 */
export class BlobExtension implements Extension {
  readonly name = 'Storage blobs';
  readonly bindingTypes = ['blob'];

  #context: HostContext | undefined;
  readonly #bindings = new Map<string, PreparedBlobBinding>();
  readonly #containers = new Map<string, Promise<unknown>>();

  initialize(context: HostContext): Promise<void> {
    this.#context = context;
    for (const fn of context.functions) {
      for (const binding of [...fn.inputs, ...fn.outputs].filter((b) => b.type.toLowerCase() === 'blob')) {
        const where = { functionName: fn.name, bindingKey: binding.key };
        const raw = binding.options.path;
        const path = context.settings.resolveExpressions(typeof raw === 'string' ? raw : '', {
          functionName: fn.name,
          property: 'path',
        });
        checkBlobPath(path, where);
        const dataType = typeof binding.options.dataType === 'string' ? binding.options.dataType : undefined;
        this.#bindings.set(key(fn.name, binding.key), {
          account: storageFor(context, fn.name, binding),
          path,
          dataType,
        });
      }
    }
    return Promise.resolve();
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  async bindInput(binding: BindingDefinition, invocation: InvocationInfo): Promise<RpcTypedData | undefined> {
    const prepared = this.#prepared(binding, invocation);
    const location = this.#locate(prepared, binding, invocation);
    const blob = prepared.account.blob.getContainerClient(location.container).getBlobClient(location.blobName);
    try {
      const content = await blob.downloadToBuffer();
      return prepared.dataType?.toLowerCase() === 'string' ? { string: content.toString('utf8') } : { bytes: content };
    } catch (error) {
      if (isStorageError(error, 404)) {
        return undefined;
      }
      throw error;
    }
  }

  async bindOutput(binding: BindingDefinition, value: RpcTypedData, invocation: InvocationInfo): Promise<void> {
    const prepared = this.#prepared(binding, invocation);
    const item = fromRpcTypedDataToItem(value);
    if (item === undefined) {
      return;
    }
    const location = this.#locate(prepared, binding, invocation);
    const content = typeof item === 'string' ? Buffer.from(item, 'utf8') : item;
    const container = prepared.account.blob.getContainerClient(location.container);
    await this.#ensureContainer(prepared.account, location.container);
    await container.getBlockBlobClient(location.blobName).upload(content, content.length);
    this.#require().events.emit('blobWritten', { accountName: prepared.account.accountName, ...toEvent(location) });
  }

  #locate(prepared: PreparedBlobBinding, binding: BindingDefinition, invocation: InvocationInfo): BlobLocation {
    const source = { functionName: invocation.functionName, bindingKey: binding.key, property: 'path' };
    const location = toBlobLocation(resolveBindingExpressions(prepared.path, invocation.bindingData, source));
    if (!isValidContainerName(location.container) || location.blobName === '') {
      throw new BindingExpressionError(
        `Function '${invocation.functionName}': blob binding '${binding.key}' resolved to container ` +
          `'${location.container}' and blob '${location.blobName}'; expected a valid container name and a blob name.`,
        invocation.functionName,
        prepared.path,
      );
    }
    return location;
  }

  /** Creates each container once per host; the real binding creates it on first write. */
  async #ensureContainer(account: StorageAccount, container: string): Promise<void> {
    const cacheKey = key(account.accountName, container);
    let created = this.#containers.get(cacheKey);
    if (!created) {
      created = account.blob.getContainerClient(container).createIfNotExists();
      this.#containers.set(cacheKey, created);
      void created.catch(() => this.#containers.delete(cacheKey));
    }
    await created;
  }

  #prepared(binding: BindingDefinition, invocation: InvocationInfo): PreparedBlobBinding {
    const prepared = this.#bindings.get(key(invocation.functionName, binding.key));
    if (!prepared) {
      throw new PlatformBugError(`Blob binding '${binding.key}' of '${invocation.functionName}' was not prepared.`);
    }
    return prepared;
  }

  #require(): HostContext {
    if (!this.#context) {
      throw new PlatformBugError('The blob extension was used before initialize().');
    }
    return this.#context;
  }
}

function toEvent(location: BlobLocation): { container: string; blobName: string } {
  return { container: location.container, blobName: location.blobName };
}

function key(a: string, b: string): string {
  return `${a}\u0000${b}`;
}
