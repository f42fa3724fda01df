import type { OrchestrationCheckpoint, OrchestrationWorkItem, ReceivedMessage } from '../backend/types';
import type { EngineDeps } from './engineDeps';
import { runEpisode } from './episode';
import { InstanceRun } from './instanceRun';
import { applyLifecycle, startExecution } from './lifecycle';
import { triage } from './messageTriage';

/** Delay before a deferred message (early response, suspended instance) is delivered again. */
export const deferDelayMs = 1_000;

/**
 * Works through an orchestration work item, one message per episode (reference durable.md §11: this keeps the
 * SDK's task-id counting deterministic), and returns the checkpoint for the backend to persist.
 */
export async function processOrchestrationWorkItem(
  workItem: OrchestrationWorkItem,
  deps: EngineDeps,
): Promise<OrchestrationCheckpoint> {
  const run = new InstanceRun(workItem);
  for (const received of workItem.messages) {
    await processMessage(run, received, deps);
  }
  return run.toCheckpoint();
}

async function processMessage(run: InstanceRun, received: ReceivedMessage, deps: EngineDeps): Promise<void> {
  const event = received.message.event;
  const verdict = triage(received, { history: run.history, status: run.status, executionId: run.executionId });
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
  while (run.pendingStart) {
    const start = run.pendingStart;
    run.pendingStart = undefined;
    await runEpisode(run, [start], deps);
  }
}
