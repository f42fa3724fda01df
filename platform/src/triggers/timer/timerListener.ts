import type { ContainerClient } from '@azure/storage-blob';
import type { Clock } from '../../clock/clock';
import type { Executor } from '../../host/executor';
import type { Logger } from '../../host/logger';
import { ListenerLock } from './listenerLock';
import type { TimerSchedule } from './schedule';
import { initialStatus, planStartup, statusAfterRun, toTimerInfoJson, type ScheduleStatus } from './scheduleStatus';
import type { StatusStore } from './statusStore';

/** Everything one timer function's listener needs. */
export interface TimerListenerOptions {
  readonly functionName: string;
  readonly schedule: TimerSchedule;
  readonly runOnStartup: boolean;
  /** The status store when the schedule monitor is on. */
  readonly monitor: StatusStore | undefined;
  readonly locks: ContainerClient;
  readonly hostId: string;
  readonly owner: string;
  readonly executor: Executor;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timing: TimerTiming;
}

/** Lease and retry timing of the listener lock. */
export interface TimerTiming {
  /** Listener lock lease; the SDK's `listenerLockPeriod` is 60 s. */
  readonly leaseSeconds: number;
  /**
   * How often a host without the lock tries to take it. The SDK waits `listenerLockRecoveryPollingInterval`
   * (60 s); locally a shorter wait lets a second host take over soon after the first stops.
   */
  readonly lockRetryMs: number;
}

/** Node's timers cannot wait longer than about 24.8 days, so longer waits are chained (as the real listener does). */
const maxSleepMs = 24 * 24 * 60 * 60 * 1000;

/**
 * Runs one timer function's schedule while this host holds its listener lock: past-due or run-on-startup run
 * first, then each occurrence in turn. Runs are sequential, so they never overlap.
 */
export class TimerListener {
  readonly #options: TimerListenerOptions;
  readonly #lock: ListenerLock;
  readonly #stop = new AbortController();
  #loop: Promise<void> | undefined;
  /** Kept in memory with or without the monitor: the next wait ends at its `next`. */
  #status: ScheduleStatus = { last: undefined, next: new Date(0), lastUpdated: undefined };

  constructor(options: TimerListenerOptions) {
    this.#options = options;
    this.#lock = new ListenerLock({
      container: options.locks,
      blobName: `locks/${options.hostId}/Host.Functions.${options.functionName}.Listener`,
      owner: options.owner,
      leaseSeconds: options.timing.leaseSeconds,
      logger: options.logger,
    });
  }

  start(): void {
    this.#loop = this.#run();
  }

  /** Stops scheduling; a run in progress finishes under the host's drain. */
  stop(): void {
    this.#stop.abort(new Error('The timer listener is stopping.'));
  }

  /** Waits for the loop to end and releases the lock. */
  async dispose(): Promise<void> {
    this.stop();
    await this.#loop;
    await this.#lock.release();
  }

  async #run(): Promise<void> {
    const { clock, logger, functionName, timing } = this.#options;
    while (!this.#stop.signal.aborted) {
      try {
        if (await this.#lock.tryAcquire()) {
          await this.#runWhileOwner();
          continue;
        }
        logger.debug('Listener lock held by another host', { function: functionName });
      } catch (error) {
        logger.error('Timer listener failed', { function: functionName, error: (error as Error).message });
      }
      await sleepQuietly(clock, timing.lockRetryMs, this.#stop.signal);
    }
  }

  async #runWhileOwner(): Promise<void> {
    const lost = new AbortController();
    const signal = AbortSignal.any([this.#stop.signal, lost.signal]);
    const renewal = this.#renewWhileHeld(signal, lost);
    try {
      await this.#runSchedule(signal);
    } finally {
      lost.abort(new Error('The schedule ended.'));
      await renewal;
    }
  }

  async #renewWhileHeld(signal: AbortSignal, lost: AbortController): Promise<void> {
    const everyMs = (this.#options.timing.leaseSeconds * 1000) / 3;
    while (await sleepQuietly(this.#options.clock, everyMs, signal)) {
      if (!(await this.#lock.renew())) {
        lost.abort(new Error('The listener lock was lost.'));
        return;
      }
    }
  }

  async #runSchedule(signal: AbortSignal): Promise<void> {
    const { clock, schedule, runOnStartup, monitor } = this.#options;
    const now = new Date(clock.now());
    let startup: StartupReason | undefined = runOnStartup ? 'RunOnStartup' : undefined;
    if (monitor) {
      const plan = planStartup(await monitor.read(), schedule, now);
      this.#status = plan.status;
      if (plan.write) {
        await monitor.write(plan.status);
      }
      startup = plan.pastDue ? 'IsPastDue' : startup;
    } else {
      this.#status = initialStatus(schedule, now);
    }

    if (startup) {
      await this.#fire(startup, this.#status);
    }
    // Each wait ends at the status's `Next`, computed from when the last run started: a run longer than the
    // interval is followed at once by the next, as in the real listener (`GetNextTimerInterval`).
    while (await sleepUntil(clock, this.#status.next.getTime(), signal)) {
      await this.#fire('Timer', this.#status);
    }
  }

  async #fire(reason: 'Timer' | StartupReason, status: ScheduleStatus): Promise<void> {
    const { executor, clock, schedule, monitor, functionName, logger } = this.#options;
    const invokedAt = new Date(clock.now());
    try {
      await executor.invoke({
        functionName,
        trigger: { json: toTimerInfoJson(monitor ? status : undefined, reason === 'IsPastDue', schedule.adjustForDst) },
        reason: reasonText[reason],
      });
    } catch (error) {
      logger.error('Timer invocation failed to start', { function: functionName, error: (error as Error).message });
    }

    this.#status = statusAfterRun(status, schedule, invokedAt, reason === 'Timer');
    if (monitor) {
      await monitor.write(this.#status);
    }
  }
}

type StartupReason = 'IsPastDue' | 'RunOnStartup';

const reasonText = {
  Timer: 'Timer fired',
  IsPastDue: 'Timer is past due',
  RunOnStartup: 'Timer fired on start-up (runOnStartup)',
} as const;

/** Sleeps until `dueMs` on the clock in steps Node can time; false when aborted first. */
async function sleepUntil(clock: Clock, dueMs: number, signal: AbortSignal): Promise<boolean> {
  for (let remaining = dueMs - clock.now(); remaining > 0; remaining = dueMs - clock.now()) {
    if (!(await sleepQuietly(clock, Math.min(remaining, maxSleepMs), signal))) {
      return false;
    }
  }
  return !signal.aborted;
}

/** Sleeps; false instead of a rejection when aborted. */
async function sleepQuietly(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await clock.sleep(ms, signal);
    return true;
  } catch {
    return false;
  }
}
