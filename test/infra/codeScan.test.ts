import {
  blobTriggerContainer,
  functionRegistrations,
  settingReads,
  unresolvedEnvReads,
  usesEventGridSource,
} from './codeScan';

describe('setting reads in app code', () => {
  it('finds process.env reads by property, by string index and by settings member', () => {
    const source = `
      const a = process.env.PLAIN_NAME;
      const b = process.env['INDEXED'];
      const c = process.env[settings.storageConnection];
      const d = process.env[names.settings.serviceBusConnection];
      const e = process.env[\`\${connection}__accountName\`];
    `;

    expect(settingReads(source)).toEqual([
      { reference: { kind: 'literal', name: 'PLAIN_NAME' }, via: 'env' },
      { reference: { kind: 'literal', name: 'INDEXED' }, via: 'env' },
      { reference: { kind: 'settingsKey', key: 'storageConnection' }, via: 'env' },
      { reference: { kind: 'settingsKey', key: 'serviceBusConnection' }, via: 'env' },
      { reference: { kind: 'connectionSuffix', suffix: 'accountName' }, via: 'env' },
    ]);
  });

  it('finds binding connections and %Setting% binding expressions', () => {
    const source = `
      app.storageQueue('a', { queueName: queues.orders, connection: 'AzureWebJobsStorage', handler });
      app.serviceBusQueue('b', { queueName: 'x', connection: settings.serviceBusConnection, handler });
      app.timer('c', { schedule: '%NIGHTLY_SCHEDULE%', handler });
    `;

    expect(settingReads(source)).toEqual([
      { reference: { kind: 'literal', name: 'AzureWebJobsStorage' }, via: 'connection' },
      { reference: { kind: 'settingsKey', key: 'serviceBusConnection' }, via: 'connection' },
      { reference: { kind: 'literal', name: 'NIGHTLY_SCHEDULE' }, via: 'expression' },
    ]);
  });

  it('ignores reads that are commented out', () => {
    const source = `
      // const a = process.env.LINE_COMMENTED;
      /* process.env.BLOCK_COMMENTED */
      const url = 'https://example.invalid/path';
    `;

    expect(settingReads(source)).toEqual([]);
  });

  it('reports computed process.env keys it cannot name, but not settings members or connection suffixes', () => {
    const source = `
      const a = process.env[name];
      const b = process.env[settings.storageConnection];
      const c = process.env[\`\${prefix}__accountName\`];
    `;

    expect(unresolvedEnvReads(source)).toEqual(['name']);
  });
});

describe('function registrations in app code', () => {
  it('names functions registered with literals and same-file constants, and groups them by trigger', () => {
    const source = `
      const STATUS = 'jobStatus';
      app.http('submitOrder', { methods: ['POST'], handler });
      app.get(STATUS, handler);
      app.storageQueue("processOrder", { queueName: 'orders', connection: 'AzureWebJobsStorage', handler });
      app.storageBlob('makeThumbnail', { path: 'images/{name}', source: 'EventGrid', connection: 'c', handler });
      df.app.orchestration('orderSaga', function* (context) {});
      df.app.activity('reserveStock', { handler });
      df.app.client.http('startJob', { handler });
      app.setup({ enableHttpStream: true });
    `;

    const found = functionRegistrations(source).map(({ name, method, group }) => ({ name, method, group }));

    expect(found).toEqual([
      { name: 'submitOrder', method: 'http', group: 'http' },
      { name: 'jobStatus', method: 'get', group: 'http' },
      { name: 'processOrder', method: 'storageQueue', group: 'background' },
      { name: 'makeThumbnail', method: 'storageBlob', group: 'blob' },
      { name: 'orderSaga', method: 'orchestration', group: 'background' },
      { name: 'reserveStock', method: 'activity', group: 'background' },
      { name: 'startJob', method: 'client.http', group: 'http' },
    ]);
  });

  it('leaves the name undefined when the first argument cannot be resolved in the file', () => {
    const [registration] = functionRegistrations(`app.http(functionNames.submit, { handler });`);

    expect(registration?.name).toBeUndefined();
    expect(registration?.nameExpression).toBe('functionNames.submit');
  });

  it('reads a blob trigger container from a literal path or from containers in lib/names.ts', () => {
    expect(blobTriggerContainer(`'t', { path: 'images/{name}', handler }`)).toEqual({
      kind: 'literal',
      container: 'images',
    });
    expect(blobTriggerContainer("'t', { path: `${containers.images}/{name}`, handler }")).toEqual({
      kind: 'containersKey',
      key: 'images',
    });
    expect(blobTriggerContainer(`'t', { path: somePath, handler }`)).toBeUndefined();
  });

  it('tells whether a blob trigger uses the Event Grid source', () => {
    expect(usesEventGridSource(`{ path: 'images/{name}', source: 'EventGrid' }`)).toBe(true);
    expect(usesEventGridSource(`{ path: 'images/{name}' }`)).toBe(false);
  });
});
