import { PlatformError } from '../../../errors';

/** A task hub name that Azure Storage would refuse or that the provider does not allow. */
export class InvalidTaskHubNameError extends PlatformError {
  readonly code = 'InvalidTaskHubName';

  constructor(
    readonly taskHubName: string,
    reason: string,
  ) {
    super(
      `Task hub name '${taskHubName}' is invalid: ${reason}. Expected 3 to 45 letters or digits starting with a ` +
        `letter (host.json extensions.durableTask.hubName).`,
    );
  }
}

/** A queue message or table row of the task hub that cannot be read back. */
export class MalformedTaskHubDataError extends PlatformError {
  readonly code = 'MalformedTaskHubData';

  constructor(
    message: string,
    readonly where: { queue?: string; table?: string; partitionKey?: string; rowKey?: string; blob?: string },
  ) {
    super(message);
  }
}

/** This host no longer owns the control-queue partition it was working on. */
export class PartitionLostError extends PlatformError {
  readonly code = 'PartitionLost';

  constructor(readonly partitionId: string) {
    super(`Lease on partition '${partitionId}' was lost to another host; its work is left for the new owner.`);
  }
}
