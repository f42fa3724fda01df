/** Properties shared by queues and subscriptions: how messages are locked, retried, expired and forwarded. */
export interface MessageEntitySettings {
  lockDurationMs: number;
  maxDeliveryCount: number;
  /** Upper bound of a message's time to live; the message's own TTL applies when shorter. */
  defaultMessageTimeToLiveMs: number;
  deadLetteringOnMessageExpiration: boolean;
  requiresSession: boolean;
  /** Queue or topic that receives every message sent here, instead of this entity. */
  forwardTo: string | undefined;
  /** Queue or topic that receives dead-lettered messages, instead of the dead-letter sub-queue. */
  forwardDeadLetteredMessagesTo: string | undefined;
}

/** Duplicate detection as queues and topics declare it. */
export interface DuplicateDetectionSettings {
  requiresDuplicateDetection: boolean;
  duplicateDetectionHistoryTimeWindowMs: number;
}

export interface QueueConfig {
  name: string;
  settings: MessageEntitySettings & DuplicateDetectionSettings;
}

/** Correlation filter: every property given must equal the message's (`Label` is the SDK's `subject`). */
export interface CorrelationFilterConfig {
  contentType?: string;
  correlationId?: string;
  label?: string;
  messageId?: string;
  replyTo?: string;
  replyToSessionId?: string;
  sessionId?: string;
  to?: string;
  properties?: Record<string, string | number | boolean>;
}

export type RuleFilterConfig =
  { type: 'correlation'; correlation: CorrelationFilterConfig } | { type: 'sql'; expression: string };

export interface RuleConfig {
  name: string;
  filter: RuleFilterConfig;
}

export interface SubscriptionConfig {
  name: string;
  settings: MessageEntitySettings;
  /** Empty means the service's `$Default` rule, which matches every message. */
  rules: RuleConfig[];
}

export interface TopicConfig {
  name: string;
  settings: DuplicateDetectionSettings & { defaultMessageTimeToLiveMs: number };
  subscriptions: SubscriptionConfig[];
}

/** The one namespace the broker serves, as read from Config.json. */
export interface NamespaceConfig {
  name: string;
  queues: QueueConfig[];
  topics: TopicConfig[];
}

/**
 * Defaults of the official emulator's Config.json schema (Azure/azure-service-bus-emulator-installer,
 * `ServiceBus-Emulator/Schema/Config-schema.json`); note MaxDeliveryCount 3 where the cloud default is 10.
 */
export const emulatorDefaults = {
  lockDurationMs: 60_000,
  maxDeliveryCount: 3,
  defaultMessageTimeToLiveMs: 3_600_000,
  duplicateDetectionHistoryTimeWindowMs: 20_000,
} as const;
