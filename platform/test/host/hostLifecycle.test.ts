import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppLoadError, ConfigurationError, FunctionTimeoutError } from '../../src/errors';
import { FunctionsHost } from '../../src/host/host';
import type { LogRecord } from '../../src/host/logger';
import { ManualTriggerExtension } from '../helpers/manualTrigger';
import { prepareApp } from '../helpers/testHost';

async function startWith(fixture: string, hostJson: object = {}) {
  const app = prepareApp(fixture, { hostJson });
  const manual = new ManualTriggerExtension();
  const logs: LogRecord[] = [];
  const host = await FunctionsHost.start({
    appDir: app.appDir,
    port: 0,
    env: {},
    extensions: [manual],
    logSink: (record) => logs.push(record),
    shutdownGraceMs: 10_000,
  });
  const journal = () => {
    const file = path.join(app.appDir, 'journal.txt');
    return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
  };
  return { app, host, manual, logs, journal };
}

describe('host start-up', () => {
  it('refuses an app that registers no functions', async () => {
    const app = prepareApp('empty-app');

    await expect(FunctionsHost.start({ appDir: app.appDir, port: 0, env: {}, extensions: [] })).rejects.toThrow(
      /No job functions found/,
    );
    app.remove();
  });

  it('refuses two functions with the same name, naming the function', async () => {
    const app = prepareApp('duplicate-app');

    const start = FunctionsHost.start({
      appDir: app.appDir,
      port: 0,
      env: {},
      extensions: [new ManualTriggerExtension()],
    });

    await expect(start).rejects.toThrow(AppLoadError);
    await expect(start).rejects.toThrow('A function with id "same" has already been registered.');
    app.remove();
  });

  it('refuses a binding type no extension handles, naming the function and the type', async () => {
    const app = prepareApp('hooks-app');

    const start = FunctionsHost.start({ appDir: app.appDir, port: 0, env: {}, extensions: [] });

    await expect(start).rejects.toThrow(ConfigurationError);
    await expect(start).rejects.toThrow(/Function 'replaced': binding 'input' has type 'manualTrigger'/);
    app.remove();
  });
});

describe('host invocations and lifecycle', () => {
  let started: Awaited<ReturnType<typeof startWith>>;

  beforeAll(async () => {
    started = await startWith('hooks-app', { functionTimeout: '00:00:02' });
  });
  afterAll(async () => {
    await started.host.stop();
    started.app.remove();
  });

  it('runs appStart before any invocation and lets a preInvocation hook replace the inputs', async () => {
    const outcome = await started.manual.invoke('replaced', 'from test');

    expect(outcome.succeeded).toBe(true);
    expect(outcome.returnValue).toEqual({ string: 'from hook' });
    expect(started.journal().slice(0, 3)).toEqual(['appStart', 'preInvocation replaced', 'postInvocation replaced']);
  });

  it('reports a rejected non-Error as a failed invocation and keeps serving', async () => {
    const failed = await started.manual.invoke('rejects', null);
    const next = await started.manual.invoke('replaced', 'again');

    expect(failed.succeeded).toBe(false);
    expect(failed.error?.message).toBe('a plain string');
    expect(next.succeeded).toBe(true);
  });

  it('retries a function with a retry policy, passing retryContext, until it succeeds', async () => {
    const outcome = await started.manual.invoke('flaky', null);

    expect(outcome.succeeded).toBe(true);
    expect(started.journal().filter((line) => line.startsWith('flaky'))).toEqual([
      'flaky retryCount=0',
      'flaky retryCount=1',
      'flaky retryCount=2',
    ]);
  });

  it('fails an invocation that runs past functionTimeout', async () => {
    const outcome = await started.manual.invoke('slow', 3_000);

    expect(outcome.succeeded).toBe(false);
    expect(outcome.error).toBeInstanceOf(FunctionTimeoutError);
    expect(outcome.error?.message).toMatch(/Timeout value of 00:00:02 exceeded by function 'slow'/);
  });

  it('writes user logs under the function category with the invocation id', async () => {
    const outcome = await started.manual.invoke('slow', 10);

    const line = started.logs.find(
      (r) => r.message === 'slow finished' && r.fields.invocationId === outcome.invocationId,
    );
    expect(line?.category).toBe('Function.slow.User');
  });

  it('runs log hooks on user logs, which may rewrite the message and the level', async () => {
    const outcome = await started.manual.invoke('chatty', null);

    const line = started.logs.find(
      (r) => r.fields.invocationId === outcome.invocationId && r.message.startsWith('password'),
    );
    expect(line?.message).toBe('password=***');
    expect(line?.level).toBe('warn');
  });

  it('answers the admin status and function list', async () => {
    const status = (await (await fetch(`${started.host.baseUrl}/admin/host/status`)).json()) as { state: string };
    const functions = (await (await fetch(`${started.host.baseUrl}/admin/functions`)).json()) as { name: string }[];

    expect(status.state).toBe('Running');
    expect(functions.map((f) => f.name).sort()).toEqual(['chatty', 'flaky', 'rejects', 'replaced', 'slow']);
  });
});

describe('graceful shutdown', () => {
  it('waits for an in-flight invocation, then runs appTerminate hooks', async () => {
    const { host, manual, journal, app } = await startWith('hooks-app');
    const inFlight = manual.invoke('slow', 500);

    await host.stop();

    expect((await inFlight).succeeded).toBe(true);
    expect(journal().slice(-3)).toEqual(['slow finished', 'postInvocation slow', 'appTerminate']);
    app.remove();
  });
});
