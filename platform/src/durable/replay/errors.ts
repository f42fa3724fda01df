import { PlatformError } from '../../errors';

/**
 * The orchestrator's code and its history disagree: replaying scheduled something other than what the history
 * recorded for the same task id. Usually the code branches on something non-deterministic (time, random, I/O,
 * module state) or was changed while instances were running.
 */
export class NonDeterminismError extends PlatformError {
  readonly code = 'NonDeterministicOrchestration';

  constructor(
    readonly instanceId: string,
    readonly taskId: number,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `Non-deterministic orchestration detected in instance '${instanceId}': at task id ${taskId} the history ` +
        `expected ${expected}, but the orchestrator code scheduled ${actual}. Orchestrator code must make the ` +
        `same calls in the same order on every replay (no Date.now, Math.random, I/O or module state).`,
    );
  }
}

/** The orchestrator's invocation returned something the engine cannot read (not an OrchestratorState). */
export class OrchestratorResultError extends PlatformError {
  readonly code = 'OrchestratorResult';

  constructor(
    readonly instanceId: string,
    readonly functionName: string,
    detail: string,
  ) {
    super(
      `Orchestrator '${functionName}' (instance '${instanceId}') returned a result the Durable engine cannot ` +
        `read: ${detail}. Expected the durable-functions OrchestratorState JSON ({isDone, actions, …}); is the ` +
        `function registered with df.app.orchestration?`,
    );
  }
}
