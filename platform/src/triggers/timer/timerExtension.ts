import { hostname } from 'node:os';
import { ConfigurationError } from '../../errors';
import type { Extension, HostContext } from '../../host/extension';
import type { FunctionDefinition } from '../../host/functionIndex';
import { firesMoreThanOncePerMinute, parseSchedule, type TimerSchedule } from './schedule';
import { StatusStore } from './statusStore';
import { resolveTimeZone } from './timeZone';
import { TimerListener, type TimerTiming } from './timerListener';

/** A timer function as the extension checked it at start-up. */
interface TimerFunction {
  readonly fn: FunctionDefinition;
  readonly schedule: TimerSchedule;
  readonly runOnStartup: boolean;
  readonly useMonitor: boolean;
}

const defaultTiming: TimerTiming = { leaseSeconds: 60, lockRetryMs: 5_000 };

/**
 * The timer trigger: NCRONTAB and TimeSpan schedules in `WEBSITE_TIME_ZONE`, the schedule monitor's status blob
 * with past-due runs, `runOnStartup`, and a listener lock so one host of several sharing a host id fires each
 * occurrence.
 */
export class TimerTriggerExtension implements Extension {
  readonly name = 'timer';
  readonly bindingTypes = ['timerTrigger'];
  readonly #timing: TimerTiming;
  #context: HostContext | undefined;
  #timers: TimerFunction[] = [];
  #listeners: TimerListener[] = [];

  /** `timing` lets tests shorten the lock retry; the defaults suit local development. */
  constructor(options: { timing?: Partial<TimerTiming> } = {}) {
    this.#timing = { ...defaultTiming, ...options.timing };
  }

  initialize(context: HostContext): Promise<void> {
    this.#context = context;
    const fns = context.functions.filter((fn) => fn.trigger.type.toLowerCase() === 'timertrigger');
    if (fns.length > 0) {
      const timeZone = resolveTimeZone(context.settings.get('WEBSITE_TIME_ZONE'));
      const now = new Date(context.clock.now());
      this.#timers = fns.map((fn) => toTimerFunction(fn, context, timeZone, now));
      requireHostStorage(context, fns[0]?.name ?? '');
    }
    return Promise.resolve();
  }

  start(): Promise<void> {
    const context = this.#context;
    if (!context || this.#timers.length === 0) {
      return Promise.resolve();
    }
    const container = context.storage().blob.getContainerClient('azure-webjobs-hosts');
    const logger = context.logger.forCategory('Host.Triggers.Timer');
    const owner = `${hostname()}:${process.pid}:${context.baseUrl}`;
    this.#listeners = this.#timers.map(({ fn, schedule, runOnStartup, useMonitor }) => {
      const monitor = useMonitor
        ? new StatusStore({ container, hostId: context.hostId, functionName: fn.name, logger })
        : undefined;
      return new TimerListener({
        functionName: fn.name,
        schedule,
        runOnStartup,
        monitor,
        locks: container,
        hostId: context.hostId,
        owner,
        executor: context.executor,
        clock: context.clock,
        logger,
        timing: this.#timing,
      });
    });
    this.#listeners.forEach((listener) => listener.start());
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.#listeners.forEach((listener) => listener.stop());
    return Promise.resolve();
  }

  async dispose(): Promise<void> {
    await Promise.all(this.#listeners.map((listener) => listener.dispose()));
  }

  describeFunction(fn: FunctionDefinition): string | undefined {
    const timer = this.#timers.find((t) => t.fn === fn);
    return timer ? `schedule '${timer.schedule.expression}'` : undefined;
  }
}

function toTimerFunction(
  fn: FunctionDefinition,
  context: HostContext,
  timeZone: string | undefined,
  now: Date,
): TimerFunction {
  const raw = fn.trigger.options.schedule;
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new ConfigurationError(
      `Function '${fn.name}': the timer trigger needs a 'schedule' string, but it is ${JSON.stringify(raw)}.`,
      { functionName: fn.name, file: fn.scriptFile, setting: 'schedule' },
    );
  }
  const expression = context.settings.resolveExpressions(raw, { functionName: fn.name, property: 'schedule' });
  const schedule = parseSchedule(expression, { functionName: fn.name, timeZone });
  const wantsMonitor = readFlag(fn, 'useMonitor', true);
  // The monitor is switched off for schedules that fire more than once a minute (timers `TimerSchedule.cs`).
  const useMonitor = wantsMonitor && !firesMoreThanOncePerMinute(schedule, now);
  return { fn, schedule, runOnStartup: readFlag(fn, 'runOnStartup', false), useMonitor };
}

function readFlag(fn: FunctionDefinition, name: string, fallback: boolean): boolean {
  const value = fn.trigger.options[name];
  if (value === undefined || value === null) {
    return fallback;
  }
  if (typeof value !== 'boolean') {
    throw new ConfigurationError(
      `Function '${fn.name}': timer option '${name}' must be true or false, but is ${JSON.stringify(value)}.`,
      { functionName: fn.name, file: fn.scriptFile, setting: name },
    );
  }
  return value;
}

/** Timers keep their listener lock and schedule status in the host storage account, so it must be configured. */
function requireHostStorage(context: HostContext, functionName: string): void {
  try {
    context.storage();
  } catch (error) {
    if (error instanceof ConfigurationError) {
      throw new ConfigurationError(
        `Function '${functionName}': timer triggers keep their listener lock and schedule status in ` +
          `AzureWebJobsStorage. ${error.message}`,
        { ...error.where, functionName },
      );
    }
    throw error;
  }
}
