import type { AppSettings } from '../../config/appSettings';
import { ConfigurationError } from '../../errors';

const namePattern = /^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;
const poisonSuffix = '-poison';

/** Where a queue name comes from, for error messages. */
export interface QueueNameSource {
  readonly functionName: string;
  /** The binding property, e.g. `queueName`. */
  readonly property: string;
}

/**
 * A binding's queue name with `%Setting%` resolved, lower-cased (as the storage extension does before checking)
 * and validated. Errors name the function and the property or setting.
 */
export function resolveQueueName(raw: unknown, settings: AppSettings, where: QueueNameSource): string {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new ConfigurationError(
      `Function '${where.functionName}': '${where.property}' must name a queue, but is ${JSON.stringify(raw)}.`,
      { functionName: where.functionName, setting: where.property },
    );
  }
  const name = settings.resolveExpressions(raw, where).toLowerCase();
  checkQueueName(name, where, raw);
  return name;
}

/** Throws a ConfigurationError unless `name` is a valid storage queue name. */
export function checkQueueName(name: string, where: QueueNameSource, declared: string = name): void {
  if (isValidQueueName(name)) {
    return;
  }
  const from = declared === name ? '' : ` (from '${declared}')`;
  throw new ConfigurationError(
    `Function '${where.functionName}': '${where.property}' is '${name}'${from}, which is not a valid queue name. ` +
      'Expected 3-63 characters of lowercase letters, digits and single hyphens, starting and ending with a ' +
      'letter or digit.',
    { functionName: where.functionName, setting: where.property },
  );
}

/** True for a valid storage queue name. */
export function isValidQueueName(name: string): boolean {
  return name.length >= 3 && name.length <= 63 && namePattern.test(name);
}

/**
 * `<queue>-poison`, or undefined when the queue is itself a poison queue or the poison name would be too long.
 * Source: storage extension `QueueListenerFactory.CreatePoisonQueueReference`.
 */
export function poisonQueueName(queueName: string): string | undefined {
  if (queueName.endsWith(poisonSuffix)) {
    return undefined;
  }
  const poison = `${queueName}${poisonSuffix}`;
  return isValidQueueName(poison) ? poison : undefined;
}
