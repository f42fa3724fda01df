import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppSettings } from '../../src/config/appSettings';
import { applyToEnvironment, readLocalSettings } from '../../src/config/localSettings';

describe('local.settings.json', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'localsettings-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads Values, the HTTP port and CORS origins', () => {
    writeFileSync(
      path.join(dir, 'local.settings.json'),
      JSON.stringify({ Values: { A: 'x', N: 3 }, Host: { LocalHttpPort: 7072, CORS: 'http://a.test, *' } }),
    );

    const settings = readLocalSettings(dir);

    expect(settings.values).toEqual({ A: 'x', N: '3' });
    expect(settings.localHttpPort).toBe(7072);
    expect(settings.cors).toEqual(['http://a.test', '*']);
  });

  it('is optional', () => {
    expect(readLocalSettings(dir).values).toEqual({});
  });

  it('names the file and the value when a value is not a string', () => {
    writeFileSync(path.join(dir, 'local.settings.json'), JSON.stringify({ Values: { Bad: { nested: true } } }));

    expect(() => readLocalSettings(dir)).toThrow(
      /local\.settings\.json: "Values\.Bad" must be a string, but is object/,
    );
  });

  it('never overrides a variable that is already in the environment', () => {
    const env: NodeJS.ProcessEnv = { KEPT: 'from-env' };

    const applied = applyToEnvironment({ KEPT: 'from-file', ADDED: 'from-file' }, env);

    expect(env).toEqual({ KEPT: 'from-env', ADDED: 'from-file' });
    expect(applied).toEqual(['ADDED']);
  });
});

describe('AppSettings', () => {
  const settings = new AppSettings({ QUEUE: 'orders', EMPTY: '' });

  it('resolves %Setting% expressions', () => {
    expect(settings.resolveExpressions('%QUEUE%-high', { functionName: 'f', property: 'queueName' })).toBe(
      'orders-high',
    );
  });

  it('names the function, property and setting when an expression refers to a missing setting', () => {
    expect(() => settings.resolveExpressions('%MISSING%', { functionName: 'f', property: 'queueName' })).toThrow(
      "Function 'f': 'queueName' refers to app setting '%MISSING%', which is not set.",
    );
  });

  it('treats an empty value as unset', () => {
    expect(settings.get('EMPTY')).toBeUndefined();
  });
});
