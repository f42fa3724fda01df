import type { Extension, HostContext } from '../../src/host/extension';
import type { InvocationOutcome } from '../../src/host/executor';

/**
 * A test-only extension for the binding type `manualTrigger`: tests invoke functions directly through the
 * host's executor, to check host behaviour that does not depend on a particular trigger.
 */
export class ManualTriggerExtension implements Extension {
  readonly name = 'manual';
  readonly bindingTypes = ['manualTrigger'];
  #context: HostContext | undefined;

  initialize(context: HostContext): Promise<void> {
    this.#context = context;
    return Promise.resolve();
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  invoke(functionName: string, input: unknown): Promise<InvocationOutcome> {
    if (!this.#context) {
      throw new Error('The host has not initialized the manual trigger yet.');
    }
    return this.#context.executor.invoke({
      functionName,
      trigger: { json: JSON.stringify(input) },
      reason: 'Invoked by a test.',
    });
  }
}
