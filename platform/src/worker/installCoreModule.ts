import Module from 'node:module';
import coreApi = require('./coreModule');

const coreModuleId = '@azure/functions-core';
let installed = false;

/**
 * Makes `require('@azure/functions-core')` return the worker's core API, as the real Node.js worker does by
 * wrapping `Module.prototype.require`. Must run before the app's first `app.*()` call: `@azure/functions`
 * caches a failed lookup for the life of the process and then silently registers nothing.
 */
export function installCoreModule(): typeof coreApi {
  if (!installed) {
    const originalRequire = Module.prototype.require;
    Module.prototype.require = new Proxy(originalRequire, {
      apply(target, thisArg: NodeJS.Module, args: [string]) {
        return args[0] === coreModuleId ? coreApi : Reflect.apply(target, thisArg, args);
      },
    });
    installed = true;
  }
  return coreApi;
}
