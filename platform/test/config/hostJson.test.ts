import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readHostJson } from '../../src/config/hostJson';
import { ConfigurationError } from '../../src/errors';

describe('readHostJson', () => {
  let dir: string;
  const write = (content: string) => writeFileSync(path.join(dir, 'host.json'), content);

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hostjson-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('applies the Core Tools defaults when settings are absent', () => {
    write('{"version": "2.0"}');

    const hostJson = readHostJson(dir, {});

    expect(hostJson.functionTimeoutMs).toBe(30 * 60 * 1000);
    expect(hostJson.http.routePrefix).toBe('api');
    expect(hostJson.logLevels.default).toBe('info');
  });

  it('maps logLevel names and honours an empty route prefix', () => {
    write(
      '{"version":"2.0","logging":{"logLevel":{"default":"Warning","Function":"Debug"}},"extensions":{"http":{"routePrefix":""}}}',
    );

    const hostJson = readHostJson(dir, {});

    expect(hostJson.logLevels).toEqual({ default: 'warn', Function: 'debug' });
    expect(hostJson.http.routePrefix).toBe('');
  });

  it('lets AzureFunctionsJobHost__ app settings override nested values, ignoring key case', () => {
    write('{"version":"2.0","extensions":{"queues":{"batchSize":16}}}');

    const hostJson = readHostJson(dir, { AzureFunctionsJobHost__Extensions__Queues__BatchSize: '4' });

    expect((hostJson.raw.extensions as { queues: { batchSize: unknown } }).queues.batchSize).toBe('4');
  });

  it('reports malformed JSON with the file name', () => {
    write('{"version": "2.0",,}');

    expect(() => readHostJson(dir, {})).toThrow(ConfigurationError);
    expect(() => readHostJson(dir, {})).toThrow(/host\.json is not valid JSON/);
  });

  it('refuses a host.json of another schema version, saying what it found', () => {
    write('{"version": "1.0"}');

    expect(() => readHostJson(dir, {})).toThrow('"version" must be "2.0", but is string "1.0"');
  });

  it('refuses a functionTimeout that is not a TimeSpan', () => {
    write('{"version": "2.0", "functionTimeout": "ten minutes"}');

    expect(() => readHostJson(dir, {})).toThrow(/"functionTimeout" must be a TimeSpan/);
  });

  it('treats functionTimeout -1 as unbounded', () => {
    write('{"version": "2.0", "functionTimeout": "-1"}');

    expect(readHostJson(dir, {}).functionTimeoutMs).toBeUndefined();
  });
});
