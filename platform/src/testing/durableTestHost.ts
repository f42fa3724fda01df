import { VirtualClock } from '../clock/virtualClock';
import { systemClock, type Clock } from '../clock/clock';
import { MemoryBackend } from '../durable/backend/memory/memoryBackend';
import { terminalStatuses, type HistoryEvent, type InstanceState } from '../durable/backend/types';
import type { TaskHubClient } from '../durable/client/taskHubClient';
import type { BackendKind } from '../durable/config/durableOptions';
import { DurableExtension } from '../durable/durableExtension';
import type { ReplaySchema } from '../durable/replay/orchestratorPayload';
import { createDefaultExtensions } from '../host/extensionRegistry';
import { FunctionsHost } from '../host/host';
import type { LogRecord } from '../host/logger';
import type { EmulatorEvents } from '../storage/emulatorEvents';

/** How to start a Durable test host. */
export interface DurableTestHostOptions {
  /** The Functions app folder (package.json `main` points at its entry files). */
  appDir: string;
  /** App settings; merged over nothing (process.env is not read). */
  env?: Record<string, string>;
  /** Virtual time (default true): timers and retry back-off fire when the test advances the clock. */
  virtualClock?: boolean;
  /** Where virtual time starts; default now. */
  startTime?: Date;
  /** Task hub storage; default `memory`. `azureStorage` needs `AzureWebJobsStorage` in `env`. */
  backend?: BackendKind;
  /** HTTP port; default a free one. */
  port?: number;
  /** Replay schema advertised to the SDK: `V3` (default, as the extension in Azure) or `V4` for `context.df.lock`. */
  replaySchema?: ReplaySchema;
  /** Writes reported by an embedded Azurite (`startAzurite().events`), so listeners react as under `npm start`. */
  emulatorEvents?: EmulatorEvents;
  /** Runs the app in a worker thread, as `npm start` does (compiled platform only); default in this thread. */
  workerThread?: boolean;
}

/** A running host with the Durable engine and helpers to drive orchestrations from a test. */
export interface DurableTestHost {
  readonly host: FunctionsHost;
  /** The task hub client: start, status, raise events, terminate, entities, purge. */
  readonly client: TaskHubClient;
  /** The host clock: a VirtualClock unless `virtualClock: false`. */
  readonly clock: Clock;
  /** Origin of the host's HTTP server, e.g. `http://localhost:53123`. */
  readonly baseUrl: string;
  /** Every log record the host wrote. */
  readonly logs: LogRecord[];
  /** Starts an orchestration and returns its instance id. */
  startNew(name: string, input?: unknown, instanceId?: string): Promise<string>;
  /**
   * Waits until the instance is Completed, Failed or Terminated. With a virtual clock, time jumps to the next
   * timer whenever the engine is idle, so durable timers and retry back-off cost no real time.
   */
  waitForCompletion(instanceId: string, options?: { timeoutMs?: number }): Promise<InstanceState>;
  /** Waits until the engine has nothing to do now (no visible message, no work in hand). */
  waitForIdle(options?: { timeoutMs?: number }): Promise<void>;
  /**
   * Moves virtual time forward, firing due timers, then waits for the engine to go idle. With `stepMs`, time moves
   * in steps with a short real pause between them, so listeners that do real I/O before they sleep on the clock
   * (the timer trigger takes a blob lock) catch up.
   */
  advance(ms: number, options?: { stepMs?: number }): Promise<void>;
  /** The current execution's history events (PascalCase, as the SDK sees them). */
  history(instanceId: string): Promise<HistoryEvent[]>;
  /** The instance row, or undefined. */
  status(instanceId: string): Promise<InstanceState | undefined>;
  /** Raises an external event with a JSON value. */
  raiseEvent(instanceId: string, eventName: string, data?: unknown): Promise<void>;
  /** Stops the host. */
  stop(): Promise<void>;
}

/**
 * Starts the app in a local Functions host with the Durable engine on an in-memory task hub and a virtual
 * clock: a seven-day timer or a retry back-off completes in milliseconds, with the real `durable-functions` SDK
 * running the app's orchestrators unchanged.
 */
export async function startDurableTestHost(options: DurableTestHostOptions): Promise<DurableTestHost> {
  const clock: Clock = options.virtualClock === false ? systemClock : new VirtualClock(options.startTime ?? new Date());
  const durable = new DurableExtension({ backend: options.backend ?? 'memory', replaySchema: options.replaySchema });
  const extensions = [...createDefaultExtensions().filter((e) => !(e instanceof DurableExtension)), durable];
  const logs: LogRecord[] = [];
  const host = await FunctionsHost.start({
    appDir: options.appDir,
    port: options.port ?? 0,
    env: { ...options.env },
    clock,
    extensions,
    logSink: (record) => logs.push(record),
    shutdownGraceMs: 5_000,
    emulatorEvents: options.emulatorEvents,
    workerThread: options.workerThread,
  });

  const isIdle = () => {
    const backend = durable.backend;
    const busy = backend instanceof MemoryBackend ? backend.hasWorkNow() : false;
    return !busy && durable.workInHand === 0;
  };
  const waitForIdle = async (timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    // Idle twice in a row across an I/O turn: work handed between loops is not missed.
    while (!(isIdle() && (await nextTurn(), isIdle()))) {
      if (Date.now() > deadline) {
        throw new Error(`The Durable engine did not go idle within ${timeoutMs} ms.`);
      }
      await pause(2);
    }
  };

  return {
    host,
    client: durable.client,
    clock,
    baseUrl: host.baseUrl,
    logs,
    startNew: (name, input, instanceId) =>
      durable.client.startNew(name, { instanceId, input: input === undefined ? undefined : JSON.stringify(input) }),
    async waitForCompletion(instanceId, waitOptions = {}) {
      const timeoutMs = waitOptions.timeoutMs ?? 15_000;
      const deadline = Date.now() + timeoutMs;
      const changes = watchInstance(durable, instanceId);
      try {
        for (;;) {
          const instance = await durable.client.getInstance(instanceId);
          if (instance && terminalStatuses.includes(instance.runtimeStatus)) {
            return instance;
          }
          if (Date.now() > deadline) {
            throw new Error(
              `Instance '${instanceId}' did not complete within ${timeoutMs} ms; it is ${instance?.runtimeStatus ?? 'unknown'}.`,
            );
          }
          if (clock instanceof VirtualClock) {
            if (isIdle()) {
              await clock.advanceToNext();
            }
            await pause(2);
          } else {
            await changes.next(otherProcessPollMs);
          }
        }
      } finally {
        changes.close();
      }
    },
    waitForIdle: (waitOptions = {}) => waitForIdle(waitOptions.timeoutMs),
    async advance(ms, advanceOptions = {}) {
      if (!(clock instanceof VirtualClock)) {
        throw new Error('advance() needs the virtual clock; start the host with virtualClock: true.');
      }
      const step = advanceOptions.stepMs ?? ms;
      for (let moved = 0; moved < ms; moved += step) {
        await waitForIdle();
        await clock.advance(Math.min(step, ms - moved));
        await waitForIdle();
        if (step < ms) {
          await pause(20);
        }
      }
    },
    history: (instanceId) => durable.client.getHistory(instanceId),
    status: (instanceId) => durable.client.getInstance(instanceId),
    raiseEvent: (instanceId, eventName, data) =>
      durable.client.raiseEvent(instanceId, eventName, data === undefined ? undefined : JSON.stringify(data)),
    stop: () => host.stop(),
  };
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** How often a waiter re-reads an instance that this process has not touched (another host may run it). */
const otherProcessPollMs = 50;

/**
 * Resolves `next()` when this process has finished a work item of the instance (or once `ms` have passed), and
 * remembers one that finished in between, so a waiter reads the instance again only when it may have changed.
 */
function watchInstance(durable: DurableExtension, instanceId: string) {
  let changed = false;
  let wake: (() => void) | undefined;
  const unsubscribe = durable.onOrchestrationProcessed((processed) => {
    if (processed === instanceId) {
      changed = true;
      wake?.();
    }
  });
  return {
    async next(ms: number): Promise<void> {
      if (!changed) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ms);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
      changed = false;
    },
    close: unsubscribe,
  };
}
