import { AppSettings } from '../../src/config/appSettings';
import type { HostJson } from '../../src/config/hostJson';
import { readDurableOptions } from '../../src/durable/config/durableOptions';
import { ConfigurationError } from '../../src/errors';

function hostJson(durableTask: object): HostJson {
  return {
    file: 'host.json',
    raw: { version: '2.0', extensions: { durableTask } },
    functionTimeoutMs: undefined,
    logLevels: { default: 'info' },
    http: { routePrefix: 'api', maxRequestBodySize: 1 },
  };
}

describe('host.json extensions.durableTask', () => {
  it('takes the extension defaults when the section is absent', () => {
    const options = readDurableOptions(hostJson({}), new AppSettings({}));
    expect(options).toMatchObject({
      hubName: 'TestHubName',
      backend: 'azureStorage',
      partitionCount: 4,
      controlQueueBatchSize: 32,
      maxPollingIntervalMs: 30_000,
      workItemVisibilityTimeoutMs: 300_000,
      defaultAsyncRequestSleepTimeMs: 30_000,
      overridableStatuses: ['Completed', 'Failed', 'Terminated', 'Canceled'],
    });
  });

  it('reads hub name, limits, partitions, polling, backend and overridable states', () => {
    const options = readDurableOptions(
      hostJson({
        hubName: '%HUB%',
        maxConcurrentActivityFunctions: 3,
        maxConcurrentOrchestratorFunctions: 2,
        overridableExistingInstanceStates: 'AnyState',
        storageProvider: { type: 'memory', partitionCount: 8, maxQueuePollingInterval: '00:00:02' },
      }),
      new AppSettings({ HUB: 'OrdersHub' }),
    );
    expect(options).toMatchObject({
      hubName: 'OrdersHub',
      backend: 'memory',
      partitionCount: 8,
      maxPollingIntervalMs: 2_000,
      maxConcurrentActivityFunctions: 3,
      maxConcurrentOrchestratorFunctions: 2,
    });
    expect(options.overridableStatuses).toContain('Running');
  });

  it('names the setting and the value when one is wrong', () => {
    expect(() => readDurableOptions(hostJson({ hubName: 'bad-name' }), new AppSettings({}))).toThrow(
      /extensions\.durableTask\.hubName.*bad-name/,
    );
    expect(() =>
      readDurableOptions(hostJson({ storageProvider: { partitionCount: 17 } }), new AppSettings({})),
    ).toThrow(ConfigurationError);
    expect(() =>
      readDurableOptions(hostJson({ overridableExistingInstanceStates: 'Sometimes' }), new AppSettings({})),
    ).toThrow(/NonRunningStates/);
  });

  it('reads the entity limits apart from the orchestration limits, with the extension defaults', () => {
    const defaults = readDurableOptions(hostJson({}), new AppSettings({}));
    expect(defaults.maxEntityOperationBatchSize).toBe(5000);
    expect(defaults.maxConcurrentEntityFunctions).toBe(defaults.maxConcurrentOrchestratorFunctions);

    const options = readDurableOptions(
      hostJson({ maxConcurrentEntityFunctions: 1, maxEntityOperationBatchSize: 3 }),
      new AppSettings({}),
    );
    expect(options).toMatchObject({ maxConcurrentEntityFunctions: 1, maxEntityOperationBatchSize: 3 });
    expect(() => readDurableOptions(hostJson({ maxEntityOperationBatchSize: 2.5 }), new AppSettings({}))).toThrow(
      /maxEntityOperationBatchSize.*2\.5/,
    );
  });
});
