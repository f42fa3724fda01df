/**
 * The one `@azure/functions-core` object of this process. The worker hands it to the app's
 * `require('@azure/functions-core')`; under Jest the module mapper points that id at this file.
 */
import { CoreApi } from './coreApi';

const key = Symbol.for('background-jobs.local-platform.coreApi');
const holder = globalThis as { [key]?: CoreApi };
const coreApi: CoreApi = (holder[key] ??= new CoreApi());

export = coreApi;
