import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigurationError } from '../../errors';
import { parseSqlFilter } from '../filters/sqlParser';
import { parseIsoDuration } from './duration';
import {
  emulatorDefaults,
  type MessageEntitySettings,
  type NamespaceConfig,
  type QueueConfig,
  type RuleConfig,
  type SubscriptionConfig,
  type TopicConfig,
} from './entityConfig';

/** The official emulator requires exactly this namespace name (Config-schema.json). */
export const emulatorNamespaceName = 'sbemulatorns';

const namePattern = /^[A-Za-z0-9]$|^[A-Za-z0-9][\w\-./]*[A-Za-z0-9]$/;
const entityName = z.string().regex(namePattern, 'expected letters, digits, "-", "_", ".", "/"; no leading symbol');

const duration = z.string().transform((text, context) => {
  const ms = parseIsoDuration(text);
  if (ms === undefined || ms <= 0) {
    context.addIssue({ code: 'custom', message: `expected a positive ISO 8601 duration like PT1M, got '${text}'` });
    return z.NEVER;
  }
  return ms;
});

const forwardTarget = z
  .string()
  .optional()
  .transform((text) => (text === undefined || text === '' ? undefined : text));

const messageEntityProperties = {
  DeadLetteringOnMessageExpiration: z.boolean().optional(),
  DefaultMessageTimeToLive: duration.optional(),
  LockDuration: duration.optional(),
  MaxDeliveryCount: z.number().int().min(1).optional(),
  RequiresSession: z.boolean().optional(),
  ForwardTo: forwardTarget,
  ForwardDeadLetteredMessagesTo: forwardTarget,
};
const duplicateDetectionProperties = {
  RequiresDuplicateDetection: z.boolean().optional(),
  DuplicateDetectionHistoryTimeWindow: duration.optional(),
};

const correlationFilter = z.looseObject({
  ContentType: z.string().optional(),
  CorrelationId: z.string().optional(),
  Label: z.string().optional(),
  MessageId: z.string().optional(),
  ReplyTo: z.string().optional(),
  ReplyToSessionId: z.string().optional(),
  SessionId: z.string().optional(),
  To: z.string().optional(),
  Properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

const rule = z.looseObject({
  Name: entityName,
  Properties: z.looseObject({
    FilterType: z.enum(['Correlation', 'Sql']),
    CorrelationFilter: correlationFilter.optional(),
    SqlFilter: z.looseObject({ SqlExpression: z.string() }).optional(),
  }),
});

const subscription = z.looseObject({
  Name: entityName,
  Properties: z.looseObject(messageEntityProperties).prefault({}),
  Rules: z.array(rule).optional(),
});

const configFileSchema = z.looseObject({
  UserConfig: z.looseObject({
    Namespaces: z
      .array(
        z.looseObject({
          Name: z.string(),
          Queues: z
            .array(
              z.looseObject({
                Name: entityName,
                Properties: z.looseObject({ ...messageEntityProperties, ...duplicateDetectionProperties }).prefault({}),
              }),
            )
            .optional(),
          Topics: z
            .array(
              z.looseObject({
                Name: entityName,
                Properties: z
                  .looseObject({ DefaultMessageTimeToLive: duration.optional(), ...duplicateDetectionProperties })
                  .prefault({}),
                Subscriptions: z.array(subscription),
              }),
            )
            .optional(),
        }),
      )
      .length(1, 'expected exactly one namespace, as the emulator serves one'),
  }),
});

type ConfigFile = z.output<typeof configFileSchema>;
type NamespaceEntry = ConfigFile['UserConfig']['Namespaces'][number];
type MessageEntityProperties = z.output<z.ZodObject<typeof messageEntityProperties>>;
type RuleEntry = z.output<typeof rule>;

/** What reading a Config.json gives: the namespace, and warnings about properties the broker ignores. */
export interface LoadedConfig {
  namespace: NamespaceConfig;
  warnings: string[];
}

/** Reads and validates a Config.json file in the official emulator's format. */
export function loadConfigFile(file: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`Cannot read the Service Bus config file: ${(error as Error).message}`, { file });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`The Service Bus config file is not valid JSON: ${(error as Error).message}`, {
      file,
    });
  }
  return fromEmulatorConfig(json, file);
}

/** Validates a parsed Config.json object; `source` names it in error messages (a file path or "inline config"). */
export function fromEmulatorConfig(json: unknown, source: string): LoadedConfig {
  const parsed = configFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigurationError(`Invalid Service Bus config in ${source}:\n${z.prettifyError(parsed.error)}`, {
      file: source,
    });
  }
  const entry = parsed.data.UserConfig.Namespaces[0] as NamespaceEntry;
  if (entry.Name !== emulatorNamespaceName) {
    throw new ConfigurationError(
      `Invalid Service Bus config in ${source}: the namespace must be named '${emulatorNamespaceName}' as in the ` +
        `official emulator, got '${entry.Name}' (at UserConfig.Namespaces[0].Name).`,
      { file: source },
    );
  }
  const namespace: NamespaceConfig = {
    name: entry.Name,
    queues: (entry.Queues ?? []).map((queue) => toQueueConfig(queue.Name, queue.Properties)),
    topics: (entry.Topics ?? []).map((topic) => toTopicConfig(topic, source)),
  };
  checkNames(namespace, source);
  return { namespace, warnings: collectWarnings(entry) };
}

function toQueueConfig(
  name: string,
  properties: MessageEntityProperties & {
    RequiresDuplicateDetection?: boolean;
    DuplicateDetectionHistoryTimeWindow?: number;
  },
): QueueConfig {
  return {
    name,
    settings: {
      ...toMessageEntitySettings(properties),
      requiresDuplicateDetection: properties.RequiresDuplicateDetection ?? false,
      duplicateDetectionHistoryTimeWindowMs:
        properties.DuplicateDetectionHistoryTimeWindow ?? emulatorDefaults.duplicateDetectionHistoryTimeWindowMs,
    },
  };
}

function toMessageEntitySettings(properties: MessageEntityProperties): MessageEntitySettings {
  return {
    lockDurationMs: properties.LockDuration ?? emulatorDefaults.lockDurationMs,
    maxDeliveryCount: properties.MaxDeliveryCount ?? emulatorDefaults.maxDeliveryCount,
    defaultMessageTimeToLiveMs: properties.DefaultMessageTimeToLive ?? emulatorDefaults.defaultMessageTimeToLiveMs,
    deadLetteringOnMessageExpiration: properties.DeadLetteringOnMessageExpiration ?? false,
    requiresSession: properties.RequiresSession ?? false,
    forwardTo: properties.ForwardTo,
    forwardDeadLetteredMessagesTo: properties.ForwardDeadLetteredMessagesTo,
  };
}

function toTopicConfig(topic: NonNullable<NamespaceEntry['Topics']>[number], source: string): TopicConfig {
  const properties = topic.Properties;
  const subscriptions = topic.Subscriptions.map((subscription): SubscriptionConfig => ({
    name: subscription.Name,
    settings: toMessageEntitySettings(subscription.Properties),
    rules: (subscription.Rules ?? []).map((entry) =>
      toRuleConfig(entry, `${source} at topic '${topic.Name}', subscription '${subscription.Name}'`),
    ),
  }));
  return {
    name: topic.Name,
    settings: {
      defaultMessageTimeToLiveMs: properties.DefaultMessageTimeToLive ?? emulatorDefaults.defaultMessageTimeToLiveMs,
      requiresDuplicateDetection: properties.RequiresDuplicateDetection ?? false,
      duplicateDetectionHistoryTimeWindowMs:
        properties.DuplicateDetectionHistoryTimeWindow ?? emulatorDefaults.duplicateDetectionHistoryTimeWindowMs,
    },
    subscriptions,
  };
}

function toRuleConfig(entry: RuleEntry, where: string): RuleConfig {
  const { FilterType, CorrelationFilter, SqlFilter } = entry.Properties;
  if (FilterType === 'Sql') {
    if (!SqlFilter) {
      throw new ConfigurationError(`Rule '${entry.Name}' in ${where} has FilterType Sql but no SqlFilter.`);
    }
    try {
      parseSqlFilter(SqlFilter.SqlExpression);
    } catch (error) {
      throw new ConfigurationError(`Rule '${entry.Name}' in ${where}: ${(error as Error).message}`);
    }
    return { name: entry.Name, filter: { type: 'sql', expression: SqlFilter.SqlExpression } };
  }
  if (!CorrelationFilter || Object.keys(CorrelationFilter).length === 0) {
    throw new ConfigurationError(
      `Rule '${entry.Name}' in ${where} has FilterType Correlation but no CorrelationFilter properties.`,
    );
  }
  const c = CorrelationFilter;
  return {
    name: entry.Name,
    filter: {
      type: 'correlation',
      correlation: {
        contentType: c.ContentType,
        correlationId: c.CorrelationId,
        label: c.Label,
        messageId: c.MessageId,
        replyTo: c.ReplyTo,
        replyToSessionId: c.ReplyToSessionId,
        sessionId: c.SessionId,
        to: c.To,
        properties: c.Properties,
      },
    },
  };
}

/** Entity names are case-insensitive in Service Bus: two that differ only in case would collide. */
function checkNames(namespace: NamespaceConfig, source: string): void {
  const seen = new Set<string>();
  const claim = (name: string, what: string) => {
    const key = name.toLowerCase();
    if (seen.has(key)) {
      throw new ConfigurationError(`Duplicate ${what} name '${name}' in ${source} (names are case-insensitive).`);
    }
    seen.add(key);
  };
  namespace.queues.forEach((queue) => claim(queue.name, 'queue or topic'));
  namespace.topics.forEach((topic) => claim(topic.name, 'queue or topic'));
  for (const topic of namespace.topics) {
    const subscriptions = new Set<string>();
    for (const subscription of topic.subscriptions) {
      const key = subscription.name.toLowerCase();
      if (subscriptions.has(key)) {
        throw new ConfigurationError(
          `Duplicate subscription '${subscription.name}' on topic '${topic.name}' in ${source}.`,
        );
      }
      subscriptions.add(key);
    }
  }
  const forwardSettings = [
    ...namespace.queues.map((queue) => ({ owner: queue.name, settings: queue.settings })),
    ...namespace.topics.flatMap((topic) =>
      topic.subscriptions.map((s) => ({ owner: `${topic.name}/subscriptions/${s.name}`, settings: s.settings })),
    ),
  ];
  for (const { owner, settings } of forwardSettings) {
    for (const target of [settings.forwardTo, settings.forwardDeadLetteredMessagesTo]) {
      if (target !== undefined && !seen.has(target.toLowerCase())) {
        throw new ConfigurationError(
          `'${owner}' in ${source} forwards to '${target}', which is no queue or topic of the namespace.`,
        );
      }
      if (target !== undefined && target.toLowerCase() === owner.toLowerCase()) {
        throw new ConfigurationError(`'${owner}' in ${source} forwards to itself.`);
      }
    }
  }
}

const knownQueueKeys = new Set([...Object.keys(messageEntityProperties), ...Object.keys(duplicateDetectionProperties)]);
const knownTopicKeys = new Set(['DefaultMessageTimeToLive', ...Object.keys(duplicateDetectionProperties)]);
const knownSubscriptionKeys = new Set(Object.keys(messageEntityProperties));

/** Properties the broker does not know are kept out of the model, each with a warning (they may be typos). */
function collectWarnings(entry: NamespaceEntry): string[] {
  const warnings: string[] = [];
  const check = (properties: object | undefined, known: Set<string>, where: string) => {
    for (const key of Object.keys(properties ?? {})) {
      if (!known.has(key)) {
        warnings.push(`Ignored unknown property '${key}' of ${where}`);
      }
    }
  };
  for (const queue of entry.Queues ?? []) {
    check(queue.Properties, knownQueueKeys, `queue '${queue.Name}'`);
  }
  for (const topic of entry.Topics ?? []) {
    check(topic.Properties, knownTopicKeys, `topic '${topic.Name}'`);
    for (const subscription of topic.Subscriptions) {
      const where = `subscription '${topic.Name}/${subscription.Name}'`;
      check(subscription.Properties, knownSubscriptionKeys, where);
      for (const rule of subscription.Rules ?? []) {
        if (rule.Properties.Action !== undefined) {
          warnings.push(`Ignored the action of rule '${rule.Name}' of ${where}: rule actions are not supported`);
        }
      }
    }
  }
  return warnings;
}
