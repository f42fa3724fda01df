import { ConcurrencyConflictError } from './errors';

/** The HTTP status of a storage SDK error (a RestError from any of the three SDKs), if any. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    const status = (error as { statusCode?: unknown }).statusCode;
    return typeof status === 'number' ? status : undefined;
  }
  return undefined;
}

/** True for 409: the entity, blob or queue already exists. */
export function isConflict(error: unknown): boolean {
  return statusOf(error) === 409;
}

/** True for 404: the entity, blob or queue does not exist. */
export function isNotFound(error: unknown): boolean {
  return statusOf(error) === 404;
}

/** True for 412: an ETag condition did not hold (someone else wrote first). */
export function isPreconditionFailed(error: unknown): boolean {
  return statusOf(error) === 412;
}

/**
 * Runs a read-decide-write attempt until it does not lose an ETag race; each attempt must re-read. Storage
 * answers a lost race with 412 (and a transaction containing one with 412 too). Between attempts it waits a random
 * 0..min(2^n, 200) ms, so writers racing for one hot row (a popular SKU, a busy customer) spread out instead of
 * colliding again in lockstep.
 */
export async function withOptimisticRetry<T>(
  where: { table: string; partitionKey: string },
  attempt: () => Promise<T>,
  maxAttempts = 50,
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isPreconditionFailed(error) || attemptNumber >= maxAttempts) {
        throw isPreconditionFailed(error)
          ? new ConcurrencyConflictError(where.table, where.partitionKey, attemptNumber)
          : error;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attemptNumber, 200)));
  }
}

/** Reads an entity, or undefined when it does not exist. */
export async function getEntityOrUndefined<T extends object>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (isNotFound(error)) {
      return undefined;
    }
    throw error;
  }
}
