import { AppSettings } from '../../../src/config/appSettings';
import type { HostJson } from '../../../src/config/hostJson';
import { ConfigurationError } from '../../../src/errors';
import type { FunctionDefinition } from '../../../src/host/functionIndex';
import { readBlobsOptions, toBlobTriggerFunction } from '../../../src/triggers/blob/blobTriggerFunction';

function blobFunction(options: Record<string, unknown>): FunctionDefinition {
  return {
    name: 'resize',
    trigger: { key: 'blobTrigger1', type: 'blobTrigger', direction: 'in', options },
    inputs: [],
    outputs: [],
    retry: undefined,
    scriptFile: 'src/resize.js',
    metadata: { name: 'resize', bindings: {} },
  };
}

function hostJson(raw: Record<string, unknown>): HostJson {
  return {
    file: 'host.json',
    raw,
    functionTimeoutMs: undefined,
    logLevels: {},
    http: { routePrefix: 'api', maxRequestBodySize: 1 },
  };
}

describe('toBlobTriggerFunction', () => {
  it('resolves %Setting% in the path and defaults the connection and source', () => {
    const settings = new AppSettings({ ImagesContainer: 'images' });

    const checked = toBlobTriggerFunction(blobFunction({ path: '%ImagesContainer%/{name}' }), settings);

    expect(checked.pattern.container).toBe('images');
    expect(checked.connection).toBe('AzureWebJobsStorage');
    expect(checked.source).toBe('LogsAndContainerScan');
  });

  it('names the function and option when the path or source is wrong', () => {
    const settings = new AppSettings({});

    expect(() => toBlobTriggerFunction(blobFunction({}), settings)).toThrow(/'resize'.*needs a 'path'/);
    expect(() => toBlobTriggerFunction(blobFunction({ path: 'images/{name}', source: 'Polling' }), settings)).toThrow(
      ConfigurationError,
    );
    expect(() => toBlobTriggerFunction(blobFunction({ path: '%Missing%/{name}' }), settings)).toThrow(/%Missing%/);
  });
});

describe('readBlobsOptions', () => {
  it('reads extensions.blobs with any key casing, and defaults poisonBlobThreshold to 5', () => {
    const options = readBlobsOptions(hostJson({ extensions: { blobs: { MaxDegreeOfParallelism: 4 } } }));

    expect(options).toEqual({ maxDegreeOfParallelism: 4, poisonBlobThreshold: 5 });
  });

  it('rejects a non-positive degree of parallelism', () => {
    expect(() => readBlobsOptions(hostJson({ extensions: { blobs: { maxDegreeOfParallelism: 0 } } }))).toThrow(
      /extensions\.blobs\.maxDegreeOfParallelism/,
    );
  });
});
