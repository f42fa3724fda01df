/**
 * Reads the Service Bus emulator's Config.json format (servicebus-config.json at the repo root), which
 * infra/core/messaging/servicebus.bicep also loads to create the same entities in Azure.
 */

/** The emulator config did not have the documented shape. */
export class EmulatorConfigError extends Error {
  constructor(
    message: string,
    readonly location: string,
  ) {
    super(`${location}: ${message}`);
    this.name = 'EmulatorConfigError';
  }
}

/** A queue as declared for the emulator. */
export interface EmulatorQueue {
  name: string;
  requiresSession: boolean;
}

/** A topic and its subscriptions as declared for the emulator. */
export interface EmulatorTopic {
  name: string;
  subscriptions: { name: string; ruleCount: number }[];
}

/** The first namespace of an emulator config. */
export interface EmulatorNamespace {
  name: string;
  queues: EmulatorQueue[];
  topics: EmulatorTopic[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arrayAt(owner: Record<string, unknown>, key: string, location: string): unknown[] {
  const value = owner[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new EmulatorConfigError(`expected "${key}" to be an array, found ${typeof value}`, location);
  }
  return value as unknown[];
}

function nameOf(entry: unknown, location: string): string {
  if (!isRecord(entry) || typeof entry['Name'] !== 'string') {
    throw new EmulatorConfigError('expected an object with a string "Name"', location);
  }
  return entry['Name'];
}

function toQueue(entry: unknown, location: string): EmulatorQueue {
  const name = nameOf(entry, location);
  const properties = isRecord(entry) && isRecord(entry['Properties']) ? entry['Properties'] : {};
  return { name, requiresSession: properties['RequiresSession'] === true };
}

function toTopic(entry: unknown, location: string): EmulatorTopic {
  const name = nameOf(entry, location);
  const subscriptions = arrayAt(entry as Record<string, unknown>, 'Subscriptions', `${location}.Subscriptions`).map(
    (subscription, i) => {
      const where = `${location}.Subscriptions[${i}]`;
      const rules = arrayAt(subscription as Record<string, unknown>, 'Rules', `${where}.Rules`);
      return { name: nameOf(subscription, where), ruleCount: rules.length };
    },
  );
  return { name, subscriptions };
}

/** Translates a parsed emulator config into its first namespace's queues and topics. */
export function fromEmulatorConfig(config: unknown, file: string): EmulatorNamespace {
  const userConfig = isRecord(config) ? config['UserConfig'] : undefined;
  if (!isRecord(userConfig)) {
    throw new EmulatorConfigError('expected a top-level "UserConfig" object', file);
  }

  const namespaces = arrayAt(userConfig, 'Namespaces', `${file}: UserConfig.Namespaces`);
  const first = namespaces[0];
  const where = 'UserConfig.Namespaces[0]';
  if (namespaces.length !== 1 || !isRecord(first)) {
    throw new EmulatorConfigError(`expected exactly one namespace, found ${namespaces.length}`, file);
  }

  return {
    name: nameOf(first, `${file}: ${where}`),
    queues: arrayAt(first, 'Queues', where).map((queue, i) => toQueue(queue, `${file}: ${where}.Queues[${i}]`)),
    topics: arrayAt(first, 'Topics', where).map((topic, i) => toTopic(topic, `${file}: ${where}.Topics[${i}]`)),
  };
}
