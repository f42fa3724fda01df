import type { HistoryEvent } from '../backend/types';
import type { RpcTypedData } from '../../worker/rpc';
import type { OrchestratorState } from './actions';
import { OrchestratorResultError } from './errors';

/**
 * Replay schema the engine advertises. V3 (default) is what the 2.x extension of Oct 2024 sends; V4 adds entity
 * critical sections (LockEntities / ReleaseEntities), as the extension advertises since PR #3453.
 */
export type ReplaySchema = 'V3' | 'V4';

/** `upperSchemaVersion` / `upperSchemaVersionNew` per schema (SDK `ReplaySchema`: V3 = 2, V4 = 3). */
const schemaNumbers: Record<ReplaySchema, { old: number; new: number }> = {
  V3: { old: 1, new: 2 },
  V4: { old: 1, new: 3 },
};

/** Timer settings sent with every payload. A very large short-timer limit keeps every timer a one-id timer. */
export const timerSettings = {
  longRunningTimerIntervalDuration: '3.00:00:00',
  maximumShortTimerDuration: '36500.00:00:00',
} as const;

/** What the orchestration trigger needs besides the history. */
export interface OrchestrationTriggerInput {
  instanceId: string;
  parentInstanceId: string | undefined;
  /** The execution's input as a JSON value (`context.df.getInput()`). */
  input: unknown;
  /** Past events followed by the episode's new events, starting with its OrchestratorStarted. */
  history: readonly HistoryEvent[];
  /** Index of the episode's OrchestratorStarted in `history`. */
  episodeStart: number;
  httpPollingDelayMs: number;
  replaySchema: ReplaySchema;
}

/**
 * The `orchestrationTrigger` value (reference durable.md §2): a string TypedData holding JSON. Past events are
 * marked played so the SDK's `isReplaying` is true until it reaches the new episode.
 */
export function toOrchestrationTrigger(input: OrchestrationTriggerInput): RpcTypedData {
  const history = input.history.map((event, index) => ({ ...event, IsPlayed: index < input.episodeStart }));
  const payload = {
    history,
    input: input.input,
    instanceId: input.instanceId,
    isReplaying: input.episodeStart > 0,
    parentInstanceId: input.parentInstanceId ?? null,
    upperSchemaVersion: schemaNumbers[input.replaySchema].old,
    upperSchemaVersionNew: schemaNumbers[input.replaySchema].new,
    ...timerSettings,
    defaultHttpAsyncRequestSleepTimeMillseconds: input.httpPollingDelayMs,
  };
  return { string: JSON.stringify(payload) };
}

/** How an orchestrator invocation ended, read from the worker's response. */
export type OrchestratorOutcome =
  | { readonly kind: 'state'; readonly state: OrchestratorState }
  | {
      readonly kind: 'failed';
      readonly message: string;
      readonly state: OrchestratorState | undefined;
      readonly stack?: string;
    };

const outOfProcLabel = '$OutOfProcData$:';

/**
 * Reads an orchestrator invocation: success carries OrchestratorState in `returnValue.json`; failure carries it
 * after the `$OutOfProcData$:` label of the exception message, with the real message in `state.error`
 * (source: ext `OutOfProcExceptionHelpers.cs`). Replay errors inside the SDK fail without the label.
 */
export function fromOrchestratorInvocation(
  ids: { instanceId: string; functionName: string },
  outcome: { succeeded: boolean; returnValue?: RpcTypedData | null; error?: Error },
): OrchestratorOutcome {
  if (!outcome.succeeded) {
    const message = outcome.error?.message ?? 'The orchestrator failed without a message.';
    const labelAt = message.indexOf(outOfProcLabel);
    if (labelAt < 0) {
      return { kind: 'failed', message, state: undefined, stack: outcome.error?.stack };
    }
    const state = parseState(ids, message.slice(labelAt + outOfProcLabel.length));
    return { kind: 'failed', message: state.error ?? message.slice(0, labelAt).trim(), state };
  }
  const text = outcome.returnValue?.json ?? outcome.returnValue?.string;
  if (text === undefined) {
    throw new OrchestratorResultError(ids.instanceId, ids.functionName, 'no return value');
  }
  return { kind: 'state', state: parseState(ids, text) };
}

function parseState(ids: { instanceId: string; functionName: string }, text: string): OrchestratorState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new OrchestratorResultError(ids.instanceId, ids.functionName, 'the result is not JSON');
  }
  const state = value as Partial<OrchestratorState> | null;
  if (!state || typeof state !== 'object' || typeof state.isDone !== 'boolean' || !Array.isArray(state.actions)) {
    throw new OrchestratorResultError(ids.instanceId, ids.functionName, `got ${text.slice(0, 200)}`);
  }
  if (state.actions.length > 1) {
    // The extension rejects V2/V3 results whose outer array is not exactly one list (ext OutOfProcOrchestrationShim).
    throw new OrchestratorResultError(ids.instanceId, ids.functionName, 'schema V3 expects one action list');
  }
  return state as OrchestratorState;
}
