import path from 'node:path';
import type { RegisteredFunction } from '../../src/worker/coreApi';
import { LanguageWorker } from '../../src/worker/languageWorker';

const appDir = path.join(__dirname, '../fixtures/basic-app');

describe('LanguageWorker', () => {
  let worker: LanguageWorker;
  let functions: RegisteredFunction[];

  beforeAll(async () => {
    worker = new LanguageWorker(appDir, () => undefined);
    functions = await worker.start();
  });

  it('registers every function the entry points declare, with the file that declared it', () => {
    const names = functions.map((f) => f.metadata.name).sort();

    expect(names).toEqual(['echo', 'hello']);
    expect(functions.find((f) => f.metadata.name === 'echo')?.scriptFile).toBe(path.join(appDir, 'src/echo.js'));
  });

  it('runs appStart hooks before reporting capabilities', () => {
    expect(worker.appLevelHookData.started).toBe(true);
    expect(worker.capabilities.RawHttpBodyBytes).toBe('true');
  });

  it('invokes a queue function through the real library and returns its value as JSON', async () => {
    const response = await worker.invoke({
      invocationId: 'inv-1',
      functionId: 'echo',
      inputData: [{ name: 'queueItem', data: { string: '{"n":1}' } }],
      triggerMetadata: {},
    });

    expect(response.result.status).toBe('success');
    expect(JSON.parse(response.returnValue?.json ?? 'null')).toEqual({ echoed: { n: 1 }, functionName: 'echo' });
  });

  it('reports a throwing handler as a failed invocation with the message', async () => {
    const response = await worker.invoke({
      invocationId: 'inv-2',
      functionId: 'echo',
      inputData: [{ name: 'queueItem', data: { json: '{"fail":"boom"}' } }],
      triggerMetadata: {},
    });

    expect(response.result.status).toBe('failure');
    expect(response.result.exception?.message).toBe('asked to fail: boom');
  });
});
