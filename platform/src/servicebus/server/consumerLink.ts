import type { Delivery, EventContext, Sender, Session } from 'rhea';
import { newLockToken, toDeliveryTag } from '../amqp/lockToken';
import { toAmqpDelivery } from '../amqp/messageCodec';
import { fromDeliveryOutcome, toRejectedOutcome, toSettledOutcome, type OutcomeKind } from '../amqp/outcomes';
import type { Consumer, DeliveredLock, ReceiveMode } from '../entities/consumer';
import type { BrokerMessage } from '../entities/message';
import type { MessageEntity } from '../entities/messageEntity';
import { MessageLockLostError, SessionLockLostError, toAmqpError } from '../errors';
import type { BrokerLogger } from '../logger';
import type { MessageJournal } from '../persistence/messageJournal';
import {
  answerDrainAlways,
  freeTransferSlots,
  isDraining,
  requestDrainAnswer,
  senderLimit,
  settleLocally,
} from './rheaInternals';

const outcomeKinds: OutcomeKind[] = ['accepted', 'rejected', 'released', 'modified'];

/** What a consumer link needs besides its rhea link and entity. */
export interface ConsumerContext {
  journal: MessageJournal;
  logger: BrokerLogger;
  connectionId: string;
}

/**
 * A client's receiver: the broker's sending link that hands an entity's messages to it. Counts its own
 * transfers against the client's credit (rhea lowers credit only when it writes a transfer; fragility 1),
 * answers every drain, and settles each disposition with an outcome the SDK accepts.
 */
export class ConsumerLink implements Consumer {
  readonly name: string;
  readonly receiveMode: ReceiveMode;
  private boundSession: string | undefined;
  private sent = 0;
  private detached = false;
  private readonly lockTokens = new Map<Delivery, string>();

  constructor(
    private readonly sender: Sender,
    private readonly entity: MessageEntity,
    private readonly context: ConsumerContext,
  ) {
    this.name = sender.name;
    // The SDK attaches receive-and-delete receivers with sender-settle-mode settled (sb `core/shared.ts`).
    this.receiveMode = sender.snd_settle_mode === 1 ? 'receiveAndDelete' : 'peekLock';
    answerDrainAlways(sender, (drainedCredit) => {
      this.sent += drainedCredit;
    });
    sender.on('sender_flow', () => this.onFlow());
    for (const kind of outcomeKinds) {
      sender.on(kind, (context: EventContext) => {
        if (context.delivery) {
          this.onOutcome(kind, context.delivery);
        }
      });
    }
  }

  get sessionId(): string | undefined {
    return this.boundSession;
  }

  /** The AMQP session the link belongs to (not a Service Bus session). */
  get session(): Session {
    return this.sender.session;
  }

  /** Binds the session the entity locked for this receiver. */
  bindSession(sessionId: string): void {
    this.boundSession = sessionId;
  }

  /** Starts delivering: registers with the entity. */
  start(): void {
    this.entity.addConsumer(this);
  }

  available(): number {
    if (this.detached || !this.sender.is_open()) {
      return 0;
    }
    return Math.min(senderLimit(this.sender) - this.sent, freeTransferSlots(this.sender));
  }

  deliver(message: BrokerMessage, lock: DeliveredLock | undefined): void {
    const payload = toAmqpDelivery(message, lock ? { lockedUntil: lock.until } : {});
    const delivery = this.sender.send(payload, toDeliveryTag(lock?.token ?? newLockToken()), 0);
    this.sent++;
    if (lock) {
      this.lockTokens.set(delivery, lock.token);
    }
  }

  sessionLockLost(): void {
    const error = new SessionLockLostError(this.entity.path, this.boundSession ?? '');
    this.detach(Date.now());
    this.sender.close(toAmqpError(error));
  }

  /** The link closed or its connection dropped: stop delivering; the entity keeps message locks. */
  detach(now: number): void {
    if (!this.detached) {
      this.detached = true;
      this.entity.removeConsumer(this, now);
    }
  }

  private onFlow(): void {
    this.entity.dispatchNow(Date.now());
    if (isDraining(this.sender)) {
      requestDrainAnswer(this.sender);
    }
  }

  private onOutcome(kind: OutcomeKind, delivery: Delivery): void {
    const token = this.lockTokens.get(delivery);
    this.lockTokens.delete(delivery);
    let state;
    try {
      if (token === undefined) {
        throw new MessageLockLostError(this.entity.path, 'unknown');
      }
      if (this.boundSession !== undefined && this.detached) {
        throw new SessionLockLostError(this.entity.path, this.boundSession);
      }
      this.entity.settle(token, fromDeliveryOutcome(kind, delivery.remote_state), Date.now());
      this.context.journal.flush();
      state = toSettledOutcome(kind);
    } catch (error) {
      const amqpError = toAmqpError(error);
      this.context.logger.debug('Service Bus settlement refused', {
        connection: this.context.connectionId,
        link: this.name,
        entity: this.entity.path,
        outcome: kind,
        condition: amqpError.condition,
      });
      state = toRejectedOutcome(amqpError);
    }
    delivery.update(true, state);
    settleLocally(delivery);
  }
}
