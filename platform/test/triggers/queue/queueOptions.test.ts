import { AppSettings } from '../../../src/config/appSettings';
import type { HostJson } from '../../../src/config/hostJson';
import { ConfigurationError } from '../../../src/errors';
import { readQueuesOptions } from '../../../src/triggers/queue/queueOptions';

function hostJson(queues: Record<string, unknown>): HostJson {
  return {
    file: 'host.json',
    raw: { version: '2.0', extensions: { queues } },
    functionTimeoutMs: undefined,
    logLevels: { default: 'info' },
    http: { routePrefix: 'api', maxRequestBodySize: 1 },
  };
}

const development = new AppSettings({});

describe('host.json extensions.queues', () => {
  it('has the storage extension defaults, with a 2 s maximum polling interval in Development', () => {
    const options = readQueuesOptions(hostJson({}), development, 2);

    expect(options).toEqual({
      batchSize: 16,
      newBatchThreshold: 16,
      maxDequeueCount: 5,
      maxPollingIntervalMs: 2_000,
      visibilityTimeoutMs: 0,
      messageEncoding: 'base64',
      messageLeaseMs: 600_000,
    });
  });

  it('defaults the maximum polling interval to one minute outside Development', () => {
    const production = new AppSettings({ AZURE_FUNCTIONS_ENVIRONMENT: 'Production' });

    expect(readQueuesOptions(hostJson({}), production, 1).maxPollingIntervalMs).toBe(60_000);
  });

  it('reads every setting, case-insensitively, including strings from app-setting overrides', () => {
    const options = readQueuesOptions(
      hostJson({
        BatchSize: '4',
        newBatchThreshold: 0,
        maxDequeueCount: 2,
        maxPollingInterval: '00:00:05',
        visibilityTimeout: '00:00:30',
        messageEncoding: 'None',
        localMessageLeaseSeconds: 3,
      }),
      development,
      8,
    );

    expect(options).toEqual({
      batchSize: 4,
      newBatchThreshold: 0,
      maxDequeueCount: 2,
      maxPollingIntervalMs: 5_000,
      visibilityTimeoutMs: 30_000,
      messageEncoding: 'none',
      messageLeaseMs: 3_000,
    });
  });

  it.each([
    [{ batchSize: 0 }, '"extensions.queues.batchSize" must be an integer from 1 to 32, but is 0.'],
    [{ batchSize: 33 }, '"extensions.queues.batchSize" must be an integer from 1 to 32, but is 33.'],
    [{ newBatchThreshold: -1 }, '"extensions.queues.newBatchThreshold" must be an integer ≥ 0, but is -1.'],
    [{ maxDequeueCount: 0 }, '"extensions.queues.maxDequeueCount" must be an integer ≥ 1, but is 0.'],
    [{ maxPollingInterval: '00:00:00.05' }, '"extensions.queues.maxPollingInterval" must be at least 00:00:00.100'],
    [{ visibilityTimeout: 'soon' }, '"extensions.queues.visibilityTimeout" must be a TimeSpan'],
    [{ messageEncoding: 'utf8' }, '"extensions.queues.messageEncoding" must be "base64" or "none", but is "utf8".'],
  ])('rejects %j with a message naming the setting', (queues, expected) => {
    let error: unknown;
    try {
      readQueuesOptions(hostJson(queues), development, 1);
    } catch (thrown) {
      error = thrown;
    }

    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain(expected);
  });
});
