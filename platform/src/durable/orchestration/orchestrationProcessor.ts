import {
  EventType,
  type HistoryEvent,
  type OrchestrationCheckpoint,
  type OrchestrationWorkItem,
  type ReceivedMessage,
} from '../backend/types';
import { httpActivityName } from '../replay/taskLedger';
import type { EngineDeps } from './engineDeps';
import { failExecution, runEpisode } from './episode';
import { InstanceRun } from './instanceRun';
import { applyLifecycle, startExecution } from './lifecycle';
import { triage, type Verdict } from './messageTriage';

/** Delay before a deferred message (a response that arrived before its scheduling event) is delivered again. */
const deferDelayMs = 1_000;

/**
 * Works through an orchestration work item and returns the checkpoint for the backend to persist. Every message
 * that can make the SDK take a task id while it is processed gets an episode of its own (reference durable.md
 * §4, §11), which keeps id counting deterministic; plain completions are delivered together. Messages for a
 * suspended instance are parked: a resume or terminate in the same work item applies them in order right after
 * it; otherwise the backend keeps them until the next message for the instance arrives.
 */
export async function processOrchestrationWorkItem(
  workItem: OrchestrationWorkItem,
  deps: EngineDeps,
): Promise<OrchestrationCheckpoint> {
  const run = new InstanceRun(workItem);
  let batch: HistoryEvent[] = [];
  const flush = async () => {
    if (batch.length > 0) {
      const events = batch;
      batch = [];
      await runEpisode(run, events, deps);
      await runPendingStarts(run, deps);
    }
  };

  const queue = [...workItem.messages];
  const parked: ReceivedMessage[] = [];
  for (let received = queue.shift(); received; received = queue.shift()) {
    const event = received.message.event;
    const history = batch.length > 0 ? [...run.history, ...batch] : run.history;
    const verdict = triage(received, { history, status: run.status, executionId: run.executionId });
    if (verdict.kind === 'apply' && isBatchable(event, run.history) && batch.length < maxBatch) {
      run.consumedMessageIds.push(received.messageId);
      batch.push(event);
      continue;
    }
    await flush();
    // Judged again: the flushed episode may have ended the orchestration.
    const current = triage(received, { history: run.history, status: run.status, executionId: run.executionId });
    if (current.kind === 'park') {
      parked.push(received);
      deps.logger.debug('Message parked', { instanceId: run.instanceId, eventType: event.EventType });
      continue;
    }
    await processMessage(run, received, current, deps);
    if (parked.length > 0 && run.status !== 'Suspended') {
      queue.unshift(...parked.splice(0));
    }
  }
  await flush();
  const checkpoint = run.toCheckpoint();
  return parked.length > 0 ? { ...checkpoint, parkedMessageIds: parked.map((m) => m.messageId) } : checkpoint;
}

/** Most completions delivered together in one episode. */
const maxBatch = 200;

/**
 * Completions that take no task id when the SDK processes them can share an episode: activity and
 * sub-orchestration results. Failures (retries take ids), timers (retry timers and HTTP polls take ids),
 * callHttp results (202 polling) and external events (continue-as-new carries them over) get their own.
 */
function isBatchable(event: HistoryEvent, history: readonly HistoryEvent[]): boolean {
  if (event.EventType === EventType.SubOrchestrationInstanceCompleted) {
    return true;
  }
  if (event.EventType !== EventType.TaskCompleted) {
    return false;
  }
  const scheduled = history.find((e) => e.EventType === EventType.TaskScheduled && e.EventId === event.TaskScheduledId);
  return scheduled !== undefined && scheduled.Name !== httpActivityName;
}

async function processMessage(
  run: InstanceRun,
  received: ReceivedMessage,
  verdict: Exclude<Verdict, { kind: 'park' }>,
  deps: EngineDeps,
): Promise<void> {
  const event = received.message.event;
  switch (verdict.kind) {
    case 'defer':
      run.releaseDelayMs = deferDelayMs;
      deps.logger.debug('Message deferred', {
        instanceId: run.instanceId,
        eventType: event.EventType,
        reason: verdict.reason,
      });
      return;
    case 'drop':
      run.consumedMessageIds.push(received.messageId);
      deps.logger.debug('Message discarded', {
        instanceId: run.instanceId,
        eventType: event.EventType,
        reason: verdict.reason,
      });
      return;
    case 'lifecycle':
      run.consumedMessageIds.push(received.messageId);
      applyLifecycle(run, event, deps);
      return;
    case 'start':
      run.consumedMessageIds.push(received.messageId);
      startExecution(run, { event, at: new Date(deps.clock.now()), generation: 0 });
      deps.logger.info('Orchestration started', { instanceId: run.instanceId, name: event.Name });
      break;
    case 'apply':
      run.consumedMessageIds.push(received.messageId);
      await runEpisode(run, [{ ...event, Timestamp: new Date(deps.clock.now()).toISOString() }], deps);
      break;
  }
  await runPendingStarts(run, deps);
}

/** Runs the first episode of an execution that a start, restart or continue-as-new has just begun. */
async function runPendingStarts(run: InstanceRun, deps: EngineDeps): Promise<void> {
  while (run.pendingStart) {
    const start = run.pendingStart;
    run.pendingStart = undefined;
    await runEpisode(run, [start], deps);
  }
}

/** Deliveries of a work item that keeps failing inside the engine before its orchestration is failed. */
export const maxEngineAttempts = 5;

/**
 * The checkpoint for a work item the engine failed on `maxEngineAttempts` times: its messages are consumed and
 * a running orchestration fails with the error recorded, so one broken instance cannot block its queue.
 */
export function toPoisonCheckpoint(
  workItem: OrchestrationWorkItem,
  error: Error,
  deps: EngineDeps,
): OrchestrationCheckpoint | undefined {
  if (workItem.messages.every((m) => m.dequeueCount < maxEngineAttempts)) {
    return undefined;
  }
  const run = new InstanceRun(workItem);
  run.consumedMessageIds.push(...workItem.messages.map((m) => m.messageId));
  if (
    run.started &&
    run.status !== undefined &&
    run.status !== 'Completed' &&
    run.status !== 'Failed' &&
    run.status !== 'Terminated'
  ) {
    const at = new Date(deps.clock.now());
    failExecution(
      run,
      deps,
      at,
      `The Durable engine failed ${maxEngineAttempts} times on this instance: ${error.message}`,
    );
  }
  deps.logger.error('Durable work item abandoned as poison', { instanceId: workItem.instanceId, error: error.message });
  return run.toCheckpoint();
}
