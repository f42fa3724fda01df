import type { Connection, EventContext, link as Link, Message, Receiver, Sender, Session } from 'rhea';
import { fromLinkAddress, toManagedEntityAddress } from '../amqp/address';
import { ClaimSet, toClaimPath } from '../auth/claims';
import type { Namespace } from '../entities/namespace';
import { InvalidOperationError, toAmqpError, UnauthorizedError } from '../errors';
import type { BrokerLogger } from '../logger';
import type { MessageJournal } from '../persistence/messageJournal';
import { handlePutToken } from './cbsLink';
import { ConsumerLink } from './consumerLink';
import { handleManagementRequest } from './managementLink';
import { maxMessageSizeBytes, ProducerLink } from './producerLink';
import { ReplyLinks } from './replyLinks';
import { receiverCredit, setLocalAttach } from './rheaInternals';
import { attachSessionReceiver, sessionFilterKey } from './sessionAttach';

/** What every connection shares: the namespace, the journal, the SAS keys, the logger. */
export interface BrokerContext {
  namespace: Namespace;
  journal: MessageJournal;
  keys: Readonly<Record<string, string>>;
  logger: BrokerLogger;
}

const cbsAddress = '$cbs';
const requestCreditWindow = 100;

/**
 * One client connection: its `$cbs` claims, its reply links, and the links it opened. Decides for every
 * attach whether it is a token exchange, a `$management` request link, a sender or a receiver, and checks
 * that a put-token covered the entity first.
 */
export class ClientConnection {
  private readonly claims = new ClaimSet();
  private readonly replies = new ReplyLinks();
  private readonly consumers = new Map<ConsumerLink, () => void>();
  private closed = false;

  constructor(
    readonly connection: Connection,
    readonly id: string,
    private readonly context: BrokerContext,
  ) {}

  /** The client opened a receiver: the broker sends on this link. */
  onSenderOpen(sender: Sender): void {
    const address = sender.source?.address ?? '';
    echoAttach(sender);
    if (address === cbsAddress || fromLinkAddress(address).management) {
      this.openReplyLink(sender, address);
      return;
    }
    try {
      this.authorize(address);
      const entity = this.context.namespace.resolveMessageEntity(address);
      this.openConsumer(sender, address, entity);
    } catch (error) {
      this.refuse(sender, address, error);
    }
  }

  /** The client opened a sender: the broker receives on this link. */
  onReceiverOpen(receiver: Receiver): void {
    const address = receiver.target?.address ?? '';
    echoAttach(receiver);
    try {
      if (address === cbsAddress) {
        this.openRequestLink(receiver, (message) =>
          handlePutToken(
            { ...this.context, claims: this.claims, replies: this.replies, connectionId: this.id },
            message,
          ),
        );
        return;
      }
      this.authorize(address);
      if (fromLinkAddress(address).management) {
        const entityAddress = toManagedEntityAddress(address);
        this.checkManagementTarget(entityAddress);
        this.openRequestLink(receiver, (message) =>
          handleManagementRequest(
            { ...this.context, replies: this.replies, connectionId: this.id },
            entityAddress,
            message,
          ),
        );
        return;
      }
      const target = this.context.namespace.resolveSendTarget(address);
      setLocalAttach(receiver, { max_message_size: maxMessageSizeBytes });
      new ProducerLink(receiver, target, { ...this.context, connectionId: this.id }).start();
      this.logLink('sender', receiver, address);
    } catch (error) {
      this.refuse(receiver, address, error);
    }
  }

  /** The client ended an AMQP session without detaching its links first. */
  onSessionClose(session: Session): void {
    for (const [consumer, cancel] of this.consumers) {
      if (consumer.session === session) {
        this.dropConsumer(consumer, cancel);
      }
    }
  }

  /** The connection closed or dropped: receivers stop (their locks stay until expiry), waits are cancelled. */
  onClose(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    for (const [consumer, cancel] of this.consumers) {
      this.dropConsumer(consumer, cancel);
    }
    this.context.logger.debug('Service Bus connection closed', { connection: this.id });
  }

  private openConsumer(sender: Sender, address: string, entity: ReturnType<Namespace['resolveMessageEntity']>): void {
    const consumer = new ConsumerLink(sender, entity, { ...this.context, connectionId: this.id });
    const filter = sender.source?.filter as Record<string, unknown> | undefined;
    const wantsSession = filter !== undefined && filter !== null && sessionFilterKey in filter;
    sender.on('sender_close', () => this.dropConsumer(consumer, this.consumers.get(consumer)));
    if (entity.settings.requiresSession !== wantsSession) {
      throw new InvalidOperationError(
        entity.settings.requiresSession
          ? `It is not possible for an entity that requires sessions ('${address}') to create a non-sessionful ` +
              `message receiver: accept a session instead.`
          : `'${address}' does not require sessions: receive from it without accepting a session.`,
        address,
      );
    }
    if (!wantsSession) {
      sender.set_source({ address });
      this.consumers.set(consumer, () => undefined);
      consumer.start();
      this.logLink('receiver', sender, address);
      return;
    }
    const requested = filter[sessionFilterKey];
    const timeout = (sender.properties as Record<string, unknown> | undefined)?.['com.microsoft:timeout'];
    const cancel = attachSessionReceiver({
      sender,
      address,
      entity,
      consumer,
      sessionId: typeof requested === 'string' ? requested : undefined,
      timeoutMs: typeof timeout === 'number' ? timeout : undefined,
      onGranted: (entry) => {
        consumer.start();
        this.context.logger.debug('Service Bus session accepted', {
          connection: this.id,
          link: sender.name,
          entity: address,
          sessionId: entry.id,
        });
      },
      onRefused: (error) => this.logRefusal(sender, address, error),
    });
    this.consumers.set(consumer, cancel);
  }

  private openReplyLink(sender: Sender, address: string): void {
    sender.set_source({ address });
    this.replies.add(sender);
    sender.on('sender_close', () => this.replies.remove(sender));
  }

  private openRequestLink(receiver: Receiver, handle: (message: Message) => void): void {
    receiver.on('message', (event: EventContext) => {
      if (event.message) {
        handle(event.message);
      }
      event.delivery?.accept();
      if (receiverCredit(receiver) < requestCreditWindow / 2) {
        receiver.add_credit(requestCreditWindow - receiverCredit(receiver));
      }
    });
    receiver.on('receiver_close', () => undefined);
    receiver.add_credit(requestCreditWindow);
  }

  /** A `$management` link must name an existing entity; a topic's serves its senders (scheduling). */
  private checkManagementTarget(address: string): void {
    if (!this.context.namespace.isTopic(address)) {
      this.context.namespace.resolveMessageEntity(address);
    }
  }

  private authorize(address: string): void {
    if (!this.claims.covers(toClaimPath(address), Date.now())) {
      throw new UnauthorizedError('no valid token was put on $cbs for this entity before the link', address);
    }
  }

  private dropConsumer(consumer: ConsumerLink, cancel: (() => void) | undefined): void {
    if (!this.consumers.has(consumer)) {
      return;
    }
    this.consumers.delete(consumer);
    cancel?.();
    consumer.detach(Date.now());
  }

  private refuse(link: Link, address: string, error: unknown): void {
    this.logRefusal(link, address, error);
    link.close(toAmqpError(error));
  }

  private logRefusal(link: Link, address: string, error: unknown): void {
    this.context.logger.debug('Service Bus link refused', {
      connection: this.id,
      link: link.name,
      entity: address,
      error: error instanceof Error ? error.message : String(error),
    });
  }

  private logLink(role: 'sender' | 'receiver', link: Link, address: string): void {
    this.context.logger.debug('Service Bus link attached', {
      connection: this.id,
      link: link.name,
      entity: address,
      role,
    });
  }
}

/** Answers with the client's own target and settle modes; the SDK checks the echo (service-bus.md section 6). */
function echoAttach(link: Sender | Receiver): void {
  if (link.target) {
    link.set_target({ address: link.target.address });
  }
  if (link.is_receiver() && link.source) {
    link.set_source({ address: link.source.address });
  }
  setLocalAttach(link, { snd_settle_mode: link.snd_settle_mode, rcv_settle_mode: link.rcv_settle_mode });
}
