import { PlatformError } from '../../errors';

/**
 * The history changed since the work item was loaded: another process (or a stale lease holder) checkpointed the
 * same instance. The provider calls this "split brain"; the engine abandons the work item and replays later.
 */
export class HistoryConflictError extends PlatformError {
  readonly code = 'HistoryConflict';

  constructor(
    readonly instanceId: string,
    readonly expectedEtag: string | undefined,
  ) {
    super(
      `History of instance '${instanceId}' changed since it was loaded (expected etag ` +
        `${expectedEtag === undefined ? 'none: a new instance' : `'${expectedEtag}'`}); another worker ` +
        `checkpointed it first. The work item is abandoned and retried.`,
    );
  }
}

/** A work item was completed or abandoned after its lock was lost or it was already completed. */
export class WorkItemLostError extends PlatformError {
  readonly code = 'WorkItemLost';

  constructor(
    readonly instanceId: string,
    readonly reason: string,
  ) {
    super(`Work item of instance '${instanceId}' can no longer be completed: ${reason}.`);
  }
}
