import { AppLoadError, CoreApiError, PlatformError } from '../../errors';
import type { SerializedError } from './protocol';

/** Flattens an error for postMessage, keeping which platform error it was. */
export function toSerializedError(error: Error): SerializedError {
  const code = error instanceof PlatformError ? error.code : undefined;
  return { name: error.name, message: error.message, stack: error.stack, code };
}

/** Rebuilds an error from the worker thread, as the class the host's error reporting knows. */
export function fromSerializedError(serialized: SerializedError): Error {
  const error =
    serialized.code === 'AppLoad'
      ? new AppLoadError(serialized.message)
      : serialized.code === 'CoreApi'
        ? new CoreApiError(serialized.message)
        : Object.assign(new Error(serialized.message), { name: serialized.name });
  error.stack = serialized.stack ?? error.stack;
  return error;
}
