import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
// The thread's entry script exists only in the compiled platform, so this drives platform/dist (npm test builds it).
import { ThreadedWorker } from '../../dist/worker/thread/threadedWorker';
import type { WorkerLogHandler } from '../../src/worker/languageWorker';
import { prepareApp } from '../helpers/testHost';

type LogCall = Parameters<WorkerLogHandler>;

describe('the language worker in a worker thread', () => {
  it('registers the app, reports capabilities and runs invocations through the real library', async () => {
    const appDir = path.join(__dirname, '../fixtures/basic-app');
    const worker = new ThreadedWorker(appDir, () => undefined);
    try {
      const functions = await worker.start();

      expect(functions.map((f) => f.metadata.name).sort()).toEqual(['echo', 'hello']);
      expect(functions.find((f) => f.metadata.name === 'echo')?.scriptFile).toBe(path.join(appDir, 'src/echo.js'));
      expect(worker.capabilities.RawHttpBodyBytes).toBe('true');

      const ok = await worker.invoke({
        invocationId: 'inv-1',
        functionId: 'echo',
        inputData: [{ name: 'queueItem', data: { string: '{"n":1}' } }],
        triggerMetadata: {},
      });
      const failed = await worker.invoke({
        invocationId: 'inv-2',
        functionId: 'echo',
        inputData: [{ name: 'queueItem', data: { json: '{"fail":"boom"}' } }],
        triggerMetadata: {},
      });

      expect(ok.result.status).toBe('success');
      expect(JSON.parse(ok.returnValue?.json ?? 'null')).toEqual({ echoed: { n: 1 }, functionName: 'echo' });
      expect(failed.result).toMatchObject({ status: 'failure', exception: { message: 'asked to fail: boom' } });
    } finally {
      await worker.close();
    }
  });

  it('runs hooks in the thread and hands the app’s log lines to the host with their invocation', async () => {
    const app = prepareApp('hooks-app');
    const logs: LogCall[] = [];
    const worker = new ThreadedWorker(app.appDir, (...call) => logs.push(call));
    try {
      await worker.start();

      const replaced = await worker.invoke({
        invocationId: 'inv-r',
        functionId: 'replaced',
        inputData: [{ name: 'input', data: { string: 'original' } }],
        triggerMetadata: {},
      });
      const slow = await worker.invoke({
        invocationId: 'inv-s',
        functionId: 'slow',
        inputData: [{ name: 'input', data: { string: '1' } }],
        triggerMetadata: {},
      });
      const terminateErrors = await worker.terminate();

      expect(replaced.returnValue).toEqual({ string: 'from hook' });
      expect(slow.returnValue).toEqual({ string: 'done' });
      expect(logs).toContainEqual([
        { level: 'information', category: 'user', message: 'slow finished' },
        { invocationId: 'inv-s', functionName: 'slow' },
      ]);
      expect(terminateErrors).toEqual([]);
      expect(readFileSync(path.join(app.appDir, 'journal.txt'), 'utf8').trim().split('\n')).toEqual([
        'appStart',
        'preInvocation replaced',
        'postInvocation replaced',
        'preInvocation slow',
        'slow finished',
        'postInvocation slow',
        'appTerminate',
      ]);
    } finally {
      await worker.close();
      app.remove();
    }
  });

  it('fails to start with the worker’s own load error when an entry point is missing', async () => {
    const appDir = mkdtempSync(path.join(__dirname, '../../../.local/missing-entry-'));
    mkdirSync(path.join(appDir, 'src'));
    writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ main: 'src/missing.js' }));
    const worker = new ThreadedWorker(appDir, () => undefined);
    try {
      await expect(worker.start()).rejects.toMatchObject({
        name: 'AppLoadError',
        message: expect.stringContaining('Worker was unable to load entry point "src/missing.js"') as unknown,
      });
    } finally {
      await worker.close();
      rmSync(appDir, { recursive: true, force: true });
    }
  });
});
