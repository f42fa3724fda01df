import { fromLinkAddress, toDeadLetterPath, toSubscriptionPath, toTransferDeadLetterPath } from '../amqp/address';
import type {
  DuplicateDetectionSettings,
  MessageEntitySettings,
  NamespaceConfig,
  SubscriptionConfig,
  TopicConfig,
} from '../config/entityConfig';
import { EntityNotFoundError, InvalidOperationError } from '../errors';
import type { MessageJournal } from '../persistence/messageJournal';
import { DuplicateDetector } from './duplicateDetector';
import type { BrokerMessage, IncomingMessage } from './message';
import { MessageEntity, type EntityHooks } from './messageEntity';
import { toFilterableMessage, toIncomingMessage } from './routing';
import { RuleSet } from './ruleSet';
import { SequenceCounter } from './sequenceCounter';
import { deadLetterReasons } from './settlement';

/** The service stops auto-forwarding chains after four hops (service-bus-dead-letter-queues). */
const maxTransferHops = 4;

interface EntityNode {
  entity: MessageEntity;
  deadLetter: MessageEntity;
  transferDeadLetter: MessageEntity;
}

/** A queue: one message entity with its dead-letter sub-queue; it numbers its own messages. */
export interface QueueNode extends EntityNode {
  kind: 'queue';
  name: string;
  sequence: SequenceCounter;
  duplicates: DuplicateDetector | undefined;
}

/** A topic: numbers messages once and copies each to every subscription whose rules match. */
export interface TopicNode {
  kind: 'topic';
  name: string;
  sequence: SequenceCounter;
  duplicates: DuplicateDetector | undefined;
  subscriptions: SubscriptionNode[];
}

export interface SubscriptionNode extends EntityNode {
  kind: 'subscription';
  name: string;
  rules: RuleSet;
}

/** Something a sender can address. */
export type SendTarget = QueueNode | TopicNode;

/** All entities of the namespace, how addresses resolve to them, and how sent messages are routed. */
export class Namespace {
  private readonly queues = new Map<string, QueueNode>();
  private readonly topics = new Map<string, TopicNode>();
  /** Every message entity by lower-case path, for the journal and the clock. */
  private readonly entities = new Map<string, MessageEntity>();
  private readonly counters = new Map<string, SequenceCounter>();
  private readonly owners = new Map<MessageEntity, EntityNode>();
  private readonly entityCounters = new Map<MessageEntity, SequenceCounter>();
  private readonly hooks: EntityHooks;

  constructor(
    config: NamespaceConfig,
    private readonly journal: MessageJournal,
  ) {
    this.hooks = {
      deadLetter: (from, message, now, transfer) => this.deadLetterFrom(from, message, now, transfer),
      forward: (from, message, now) => this.forwardDue(from, message, now),
    };
    for (const queue of config.queues) {
      const sequence = this.counter(queue.name);
      const node: QueueNode = {
        kind: 'queue',
        name: queue.name,
        ...this.createEntities(queue.name, queue.settings, sequence),
        sequence,
        duplicates: detectorFor(queue.settings),
      };
      this.queues.set(queue.name.toLowerCase(), node);
    }
    for (const topic of config.topics) {
      this.topics.set(topic.name.toLowerCase(), this.createTopic(topic));
    }
  }

  /** The queue or topic a sender link addresses. */
  resolveSendTarget(address: string): SendTarget {
    const parsed = fromLinkAddress(address);
    const key = parsed.entityPath.toLowerCase();
    const target = this.queues.get(key) ?? this.topics.get(key);
    if (target && !parsed.subQueue) {
      return target;
    }
    if (target || this.findSubscription(key)) {
      throw new InvalidOperationError(
        `Cannot send to '${address}': messages are sent to a queue or topic, not to a subscription or sub-queue.`,
        address,
      );
    }
    throw new EntityNotFoundError(address);
  }

  /** The queue, subscription or dead-letter sub-queue a receiver or `$management` link addresses. */
  resolveMessageEntity(address: string): MessageEntity {
    const parsed = fromLinkAddress(address);
    const key = parsed.entityPath.toLowerCase();
    const node = this.queues.get(key) ?? this.findSubscription(key);
    if (node) {
      return parsed.subQueue ? node[parsed.subQueue] : node.entity;
    }
    if (this.topics.has(key)) {
      throw new InvalidOperationError(
        `Cannot receive from topic '${parsed.entityPath}': receive from one of its subscriptions.`,
        address,
      );
    }
    throw new EntityNotFoundError(address);
  }

  /** The rules of the subscription a `$management` link addresses. */
  resolveRules(address: string): RuleSet {
    const parsed = fromLinkAddress(address);
    const subscription = this.findSubscription(parsed.entityPath.toLowerCase());
    if (!subscription || parsed.subQueue) {
      throw new InvalidOperationError(`Rules belong to subscriptions; '${address}' is not one.`, address);
    }
    return subscription.rules;
  }

  /** True when the address names a topic (whose `$management` link serves senders only). */
  isTopic(address: string): boolean {
    return this.topics.has(fromLinkAddress(address).entityPath.toLowerCase());
  }

  /**
   * Accepts messages sent to a queue or topic and returns the sequence number each got (0 for a duplicate the
   * window dropped). All are checked before any is stored, so a batch is taken or refused whole.
   */
  send(target: SendTarget, messages: IncomingMessage[], now: number): number[] {
    if (target.kind === 'queue' && target.entity.settings.requiresSession && !target.entity.settings.forwardTo) {
      if (messages.some((message) => message.sessionId === undefined)) {
        throw new InvalidOperationError(
          `The SessionId was not set on a message, and it cannot be sent to '${target.name}': entities that ` +
            `require sessions only take messages with a SessionId.`,
          target.name,
        );
      }
    }
    return messages.map((message) =>
      target.duplicates?.isDuplicate(message.messageId, now) ? 0 : this.route(target, message, now, 0),
    );
  }

  /** Cancels scheduled messages; on a topic, in every subscription (they share the topic's numbers). */
  cancelScheduled(target: SendTarget, sequenceNumbers: number[]): void {
    const entities = target.kind === 'queue' ? [target.entity] : target.subscriptions.map((s) => s.entity);
    for (const entity of entities) {
      entity.cancelScheduled(sequenceNumbers);
    }
  }

  /** The entity a journal record names, by path; undefined when the config no longer declares it. */
  entityByPath(path: string): MessageEntity | undefined {
    return this.entities.get(path.toLowerCase());
  }

  /** Raises the counter behind an entity's sequence numbers past one read from the journal. */
  observeSequenceNumber(entity: MessageEntity, sequenceNumber: number): void {
    this.entityCounters.get(entity)?.observe(sequenceNumber);
  }

  /** The counter of a queue or topic by name, for journal snapshots. */
  counterByName(name: string): SequenceCounter | undefined {
    return this.counters.get(name.toLowerCase());
  }

  allEntities(): IterableIterator<MessageEntity> {
    return this.entities.values();
  }

  /** Queue and topic names with their last sequence number, for journal snapshots. */
  sequenceCounters(): Array<[string, number]> {
    return [...this.counters].map(([name, counter]) => [name, counter.current]);
  }

  tick(now: number): void {
    for (const entity of this.entities.values()) {
      entity.tick(now);
    }
  }

  private createTopic(topic: TopicConfig): TopicNode {
    const sequence = this.counter(topic.name);
    return {
      kind: 'topic',
      name: topic.name,
      sequence,
      duplicates: detectorFor(topic.settings),
      subscriptions: topic.subscriptions.map((subscription) => this.createSubscription(topic, subscription, sequence)),
    };
  }

  private createSubscription(
    topic: TopicConfig,
    subscription: SubscriptionConfig,
    sequence: SequenceCounter,
  ): SubscriptionNode {
    const settings = {
      ...subscription.settings,
      // A subscription's messages live no longer than the topic allows.
      defaultMessageTimeToLiveMs: Math.min(
        subscription.settings.defaultMessageTimeToLiveMs,
        topic.settings.defaultMessageTimeToLiveMs,
      ),
    };
    const path = toSubscriptionPath(topic.name, subscription.name);
    return {
      kind: 'subscription',
      name: subscription.name,
      ...this.createEntities(path, settings, sequence),
      rules: new RuleSet(path, subscription.rules),
    };
  }

  private createEntities(path: string, settings: MessageEntitySettings, counter: SequenceCounter): EntityNode {
    const entity = new MessageEntity({
      path,
      settings,
      journal: this.journal,
      hooks: this.hooks,
      isDeadLetterQueue: false,
    });
    const node = {
      entity,
      deadLetter: this.createSubQueue(toDeadLetterPath(path), settings),
      transferDeadLetter: this.createSubQueue(toTransferDeadLetterPath(path), settings),
    };
    for (const member of [node.entity, node.deadLetter, node.transferDeadLetter]) {
      this.entityCounters.set(member, counter);
      this.entities.set(member.path.toLowerCase(), member);
    }
    this.owners.set(entity, node);
    return node;
  }

  /** A dead-letter sub-queue: no sessions, no expiry, no forwarding, never dead-letters again. */
  private createSubQueue(path: string, settings: MessageEntitySettings): MessageEntity {
    return new MessageEntity({
      path,
      settings: {
        ...settings,
        requiresSession: false,
        defaultMessageTimeToLiveMs: Infinity,
        deadLetteringOnMessageExpiration: false,
        forwardTo: undefined,
        forwardDeadLetteredMessagesTo: undefined,
      },
      journal: this.journal,
      hooks: this.hooks,
      isDeadLetterQueue: true,
    });
  }

  private counter(name: string): SequenceCounter {
    const counter = new SequenceCounter();
    this.counters.set(name.toLowerCase(), counter);
    return counter;
  }

  private findSubscription(key: string): SubscriptionNode | undefined {
    const at = key.lastIndexOf('/subscriptions/');
    if (at < 0) {
      return undefined;
    }
    const topic = this.topics.get(key.slice(0, at));
    const name = key.slice(at + '/subscriptions/'.length);
    return topic?.subscriptions.find((subscription) => subscription.name.toLowerCase() === name);
  }

  /** Stores a message in its target (or where the target forwards it); returns its sequence number there. */
  private route(target: SendTarget, message: IncomingMessage, now: number, hops: number): number {
    const sequenceNumber = target.sequence.next();
    if (target.kind === 'queue') {
      this.deliverTo(target, message, sequenceNumber, now, hops);
      return sequenceNumber;
    }
    const filterable = toFilterableMessage(message, sequenceNumber, now);
    for (const subscription of target.subscriptions) {
      if (subscription.rules.matches(filterable)) {
        this.deliverTo(subscription, message, sequenceNumber, now, hops);
      }
    }
    return sequenceNumber;
  }

  private deliverTo(
    node: QueueNode | SubscriptionNode,
    message: IncomingMessage,
    sequenceNumber: number,
    now: number,
    hops: number,
  ): void {
    const settings = node.entity.settings;
    const scheduled = message.scheduledEnqueueTime !== undefined && message.scheduledEnqueueTime > now;
    // A scheduled message waits here (where it can be cancelled) and is forwarded when it comes due.
    if (settings.forwardTo !== undefined && !scheduled) {
      this.forward(node.entity, settings.forwardTo, message, sequenceNumber, now, hops + 1);
    } else if (settings.requiresSession && message.sessionId === undefined) {
      node.entity.rejectToDeadLetter(message, sequenceNumber, deadLetterReasons.sessionIdIsNull, now);
    } else {
      node.entity.enqueue(message, sequenceNumber, now);
    }
  }

  private forward(
    from: MessageEntity,
    targetName: string,
    message: IncomingMessage,
    sequenceNumber: number,
    now: number,
    hops: number,
  ): void {
    const target = this.queues.get(targetName.toLowerCase()) ?? this.topics.get(targetName.toLowerCase());
    if (!target || hops > maxTransferHops) {
      from.rejectToDeadLetter(message, sequenceNumber, deadLetterReasons.maxTransferHopCountExceeded, now, true);
    } else {
      this.route(target, message, now, hops);
    }
  }

  private forwardDue(from: MessageEntity, message: BrokerMessage, now: number): void {
    const forwardTo = from.settings.forwardTo;
    if (forwardTo !== undefined) {
      this.forward(from, forwardTo, toIncomingMessage(message), message.sequenceNumber, now, 1);
    }
  }

  private deadLetterFrom(from: MessageEntity, message: BrokerMessage, now: number, transfer: boolean): void {
    const node = this.owners.get(from);
    if (!node) {
      return;
    }
    if (transfer) {
      node.transferDeadLetter.adopt(message, now);
      return;
    }
    const forwardTo = from.settings.forwardDeadLetteredMessagesTo;
    const target = forwardTo
      ? (this.queues.get(forwardTo.toLowerCase()) ?? this.topics.get(forwardTo.toLowerCase()))
      : undefined;
    if (target) {
      this.route(target, toIncomingMessage(message), now, 1);
      return;
    }
    node.deadLetter.adopt(message, now);
  }
}

function detectorFor(settings: DuplicateDetectionSettings): DuplicateDetector | undefined {
  return settings.requiresDuplicateDetection
    ? new DuplicateDetector(settings.duplicateDetectionHistoryTimeWindowMs)
    : undefined;
}
