import { ConfigurationError } from '../errors';
import type { HostContext } from '../host/extension';
import type { BindingDefinition } from '../host/functionIndex';
import type { StorageAccount } from '../storage/storageAccount';

/** The storage account of a binding's `connection` (default `AzureWebJobsStorage`); errors name the function. */
export function storageFor(context: HostContext, functionName: string, binding: BindingDefinition): StorageAccount {
  const connection = binding.options.connection;
  const name = typeof connection === 'string' && connection !== '' ? connection : 'AzureWebJobsStorage';
  try {
    return context.storage(name);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      throw new ConfigurationError(`Function '${functionName}', binding '${binding.key}': ${error.message}`, {
        ...error.where,
        functionName,
      });
    }
    throw error;
  }
}
