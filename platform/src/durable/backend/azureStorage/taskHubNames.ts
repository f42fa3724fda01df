import { InvalidTaskHubNameError } from './errors';
import { fnv1a32 } from './fnv1a';

/** Names of every Azure Storage resource of one task hub, as the Azure Storage provider lays them out. */
export interface TaskHubNames {
  readonly taskHubName: string;
  readonly historyTable: string;
  readonly instancesTable: string;
  readonly workItemQueue: string;
  readonly leaseContainer: string;
  readonly largeMessageContainer: string;
  /** Control queues in partition order, `<hub>-control-00` upwards. */
  readonly controlQueues: readonly string[];
}

/** Number of control-queue partitions the provider allows (`storageProvider.partitionCount`). */
export const partitionCountRange = { min: 1, max: 16 } as const;

/** Checks a task hub name against the provider's rule: letters and digits, a letter first, 3–45 characters. */
export function validateTaskHubName(name: string): void {
  if (name.length < 3 || name.length > 45) {
    throw new InvalidTaskHubNameError(name, `it has ${name.length} characters`);
  }
  if (!/^[A-Za-z]/.test(name)) {
    throw new InvalidTaskHubNameError(name, 'it does not start with a letter');
  }
  const bad = /[^A-Za-z0-9]/.exec(name);
  if (bad) {
    throw new InvalidTaskHubNameError(name, `it contains '${bad[0]}' at position ${bad.index}`);
  }
}

/** The resource names of a task hub; queue and container names are lower-cased, table names keep the case. */
export function taskHubNames(taskHubName: string, partitionCount: number): TaskHubNames {
  validateTaskHubName(taskHubName);
  if (!Number.isInteger(partitionCount) || partitionCount < partitionCountRange.min || partitionCount > 16) {
    throw new RangeError(`partitionCount must be an integer from 1 to 16; got ${partitionCount}.`);
  }
  const lower = taskHubName.toLowerCase();
  return {
    taskHubName,
    historyTable: `${taskHubName}History`,
    instancesTable: `${taskHubName}Instances`,
    workItemQueue: `${lower}-workitems`,
    leaseContainer: `${lower}-leases`,
    largeMessageContainer: `${lower}-largemessages`,
    controlQueues: Array.from({ length: partitionCount }, (_, i) => controlQueueName(lower, i)),
  };
}

/** `<hub lower>-control-NN` with a two-digit partition index. */
export function controlQueueName(taskHubName: string, partitionIndex: number): string {
  return `${taskHubName.toLowerCase()}-control-${String(partitionIndex).padStart(2, '0')}`;
}

/** The partition an instance belongs to: FNV-1a of its id modulo the partition count. */
export function partitionIndexOf(instanceId: string, partitionCount: number): number {
  return fnv1a32(instanceId) % partitionCount;
}
