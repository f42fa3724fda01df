import { hasBindingExpressions, resolveBindingExpressions } from '../../bindings/bindingExpressions';
import { writeQueueOutput } from '../../bindings/queue/queueOutput';
import { storageFor } from '../../bindings/storageConnection';
import type { Clock } from '../../clock/clock';
import { getIgnoringCase, readSection } from '../../config/hostJson';
import { PlatformBugError } from '../../errors';
import type { Extension, HostContext, InvocationInfo } from '../../host/extension';
import type { BindingDefinition, FunctionDefinition } from '../../host/functionIndex';
import type { StorageAccount } from '../../storage/storageAccount';
import type { RpcTypedData } from '../../worker/rpc';
import { MessageProcessor } from './messageProcessor';
import { QueueListener } from './queueListener';
import { checkQueueName, poisonQueueName, resolveQueueName } from './queueName';
import { readQueuesOptions, type QueuesOptions } from './queueOptions';

const triggerType = 'queueTrigger';
const outputType = 'queue';
const category = 'Host.Triggers.Queue';
/** How long disposal waits for in-flight messages to be settled once the host's own grace period is over. */
const settleGraceMs = 10_000;

interface QueueOutput {
  readonly account: StorageAccount;
  /** Resolved name, or a template with `{token}` expressions resolved per invocation. */
  readonly queueName: string;
  readonly templated: boolean;
}

/**
 * Storage queues: the `queueTrigger` listener with the storage extension's polling, lease and poison semantics,
 * and the `queue` output binding that wakes listeners in the same host.
 */
export class QueueExtension implements Extension {
  readonly name = 'Storage queues';
  readonly bindingTypes = [triggerType, outputType];

  #context: HostContext | undefined;
  #options: QueuesOptions | undefined;
  readonly #listeners = new Map<string, { accountName: string; listener: QueueListener }>();
  readonly #outputs = new Map<string, QueueOutput>();
  #unsubscribe: (() => void) | undefined;

  initialize(context: HostContext): Promise<void> {
    this.#context = context;
    const options = readQueuesOptions(context.hostJson, context.settings);
    this.#options = options;
    warnIfDynamicConcurrency(context);
    for (const fn of context.functions) {
      if (isType(fn.trigger, triggerType)) {
        this.#addListener(context, fn, options);
      }
      for (const binding of fn.outputs.filter((b) => isType(b, outputType))) {
        this.#outputs.set(outputKey(fn.name, binding.key), this.#prepareOutput(context, fn, binding));
      }
    }
    return Promise.resolve();
  }

  start(): Promise<void> {
    const context = this.#require();
    this.#unsubscribe = context.events.on('queueMessageAdded', ({ accountName, queueName }) => {
      for (const entry of this.#listeners.values()) {
        if (entry.accountName === accountName && entry.listener.queueName === queueName) {
          entry.listener.wake();
        }
      }
    });
    for (const { listener } of this.#listeners.values()) {
      listener.start();
    }
    return Promise.resolve();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.#listeners.values()].map(({ listener }) => listener.stop()));
  }

  /**
   * Waits for messages still being settled (deleted or released) after their invocations ended. Bounded, because
   * an invocation that outlived the host's grace period may never end; its message returns when its lease lapses.
   */
  async dispose(): Promise<void> {
    this.#unsubscribe?.();
    const context = this.#context;
    if (!context) {
      return;
    }
    const listeners = [...this.#listeners.values()].map(({ listener }) => listener);
    const drained = Promise.all(listeners.map((listener) => listener.drain()));
    if (!(await finishesWithin(context.clock, settleGraceMs, drained))) {
      const inFlight = listeners.reduce((sum, listener) => sum + listener.inFlight, 0);
      context.logger
        .forCategory(category)
        .warn('Stopped with queue messages still in flight; they reappear when their lease lapses', { inFlight });
    }
  }

  async bindOutput(binding: BindingDefinition, value: RpcTypedData, invocation: InvocationInfo): Promise<void> {
    const output = this.#outputs.get(outputKey(invocation.functionName, binding.key));
    if (!output) {
      throw new PlatformBugError(`Queue output '${binding.key}' of '${invocation.functionName}' was not prepared.`);
    }
    const where = { functionName: invocation.functionName, property: 'queueName' };
    let queueName = output.queueName;
    if (output.templated) {
      const source = { ...where, bindingKey: binding.key };
      queueName = resolveBindingExpressions(output.queueName, invocation.bindingData, source).toLowerCase();
      checkQueueName(queueName, where, output.queueName);
    }
    const target = {
      accountName: output.account.accountName,
      service: output.account.queue,
      queueName,
      encoding: this.#requireOptions().messageEncoding,
    };
    await writeQueueOutput(target, value, this.#require().events);
  }

  describeFunction(fn: FunctionDefinition): string | undefined {
    const entry = this.#listeners.get(fn.name);
    return entry ? `queue '${entry.listener.queueName}'` : undefined;
  }

  #addListener(context: HostContext, fn: FunctionDefinition, options: QueuesOptions): void {
    const logger = context.logger.forCategory(category);
    const queueName = resolveQueueName(fn.trigger.options.queueName, context.settings, {
      functionName: fn.name,
      property: 'queueName',
    });
    const account = storageFor(context, fn.name, fn.trigger);
    if (fn.retry) {
      // The WebJobs FunctionIndexer only warns for triggers without [SupportsRetry] and keeps the strategy, so the
      // retries run inside each dequeue attempt. Source: Azure/azure-webjobs-sdk `Indexers/FunctionIndexer.cs`.
      logger.warn('Retry policies are not supported for queue triggers; maxDequeueCount is the retry mechanism', {
        function: fn.name,
        strategy: fn.retry.strategy ?? fn.retry.retryStrategy,
      });
    }
    const queue = account.queue.getQueueClient(queueName);
    const poisonName = poisonQueueName(queueName);
    const processor = new MessageProcessor({
      functionName: fn.name,
      accountName: account.accountName,
      queue,
      poisonQueue: poisonName ? account.queue.getQueueClient(poisonName) : undefined,
      options,
      executor: context.executor,
      events: context.events,
      clock: context.clock,
      logger,
    });
    const listener = new QueueListener({
      functionName: fn.name,
      queue,
      processor,
      options,
      clock: context.clock,
      logger,
    });
    this.#listeners.set(fn.name, { accountName: account.accountName, listener });
  }

  #prepareOutput(context: HostContext, fn: FunctionDefinition, binding: BindingDefinition): QueueOutput {
    const where = { functionName: fn.name, property: 'queueName' };
    const raw = binding.options.queueName;
    const account = storageFor(context, fn.name, binding);
    if (typeof raw === 'string' && hasBindingExpressions(raw)) {
      return { account, queueName: context.settings.resolveExpressions(raw, where), templated: true };
    }
    return { account, queueName: resolveQueueName(raw, context.settings, where), templated: false };
  }

  #require(): HostContext {
    if (!this.#context) {
      throw new PlatformBugError('The queue extension was used before initialize().');
    }
    return this.#context;
  }

  #requireOptions(): QueuesOptions {
    if (!this.#options) {
      throw new PlatformBugError('The queue extension was used before initialize().');
    }
    return this.#options;
  }
}

/**
 * With dynamic concurrency on, the real listener ignores batchSize and newBatchThreshold and sizes fetches itself.
 * NOTE: the local platform does not implement dynamic concurrency; it says so and keeps the static limits.
 */
function warnIfDynamicConcurrency(context: HostContext): void {
  const concurrency = readSection(context.hostJson.raw, ['concurrency'], context.hostJson.file);
  const enabled = getIgnoringCase(concurrency, 'dynamicConcurrencyEnabled');
  if (enabled === true || (typeof enabled === 'string' && enabled.toLowerCase() === 'true')) {
    context.logger
      .forCategory(category)
      .warn('Dynamic concurrency is not supported locally; using batchSize and newBatchThreshold', {
        setting: 'concurrency.dynamicConcurrencyEnabled',
      });
  }
}

/** True when `work` settles before `ms` of the clock's time pass. */
async function finishesWithin(clock: Clock, ms: number, work: Promise<unknown>): Promise<boolean> {
  const timer = new AbortController();
  const timedOut = clock.sleep(ms, timer.signal).then(
    () => false,
    () => true,
  );
  const finished = await Promise.race([work.then(() => true), timedOut]);
  timer.abort();
  return finished;
}

function isType(binding: BindingDefinition, type: string): boolean {
  return binding.type.toLowerCase() === type.toLowerCase();
}

function outputKey(functionName: string, bindingKey: string): string {
  return `${functionName}\u0000${bindingKey}`;
}
