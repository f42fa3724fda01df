import * as df from 'durable-functions';

/** Saga steps: 5 attempts, 1 s doubling to at most 30 s, for storage hiccups and lost races. */
export function stepRetry(): df.RetryOptions {
  const options = new df.RetryOptions(1000, 5);
  options.backoffCoefficient = 2;
  options.maxRetryIntervalInMilliseconds = 30_000;
  return options;
}

/** Compensations must finish: 10 attempts, 2 s doubling to at most 5 minutes (about 20 minutes in all). */
export function compensationRetry(): df.RetryOptions {
  const options = new df.RetryOptions(2000, 10);
  options.backoffCoefficient = 2;
  options.maxRetryIntervalInMilliseconds = 300_000;
  return options;
}

/** Replies: 3 attempts, 1 s doubling; the activity itself defers to a queue when Service Bus is down. */
export function replyRetry(): df.RetryOptions {
  const options = new df.RetryOptions(1000, 3);
  options.backoffCoefficient = 2;
  return options;
}
