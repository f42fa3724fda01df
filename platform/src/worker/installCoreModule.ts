import Module from 'node:module';
import coreApi from './coreModule';

const coreModuleId = '@azure/functions-core';
let installed = false;

/**
 * Makes `require('@azure/functions-core')` return the worker's core API, as the real Node.js worker does by
 * wrapping `Module.prototype.require`. Must run before the app's first `app.*()` call: `@azure/functions`
 * caches a failed lookup for the life of the process and then silently registers nothing.
 */
export function installCoreModule(): typeof coreApi {
  if (!installed) {
    const prototype = Module.prototype as { require: (this: NodeJS.Module, id: string) => unknown };
    const originalRequire = prototype.require;
    prototype.require = Object.assign(function (this: NodeJS.Module, id: string): unknown {
      return id === coreModuleId ? coreApi : originalRequire.call(this, id);
    }, originalRequire);
    installed = true;
  }
  return coreApi;
}
