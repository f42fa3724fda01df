import type { EventContext, Receiver } from 'rhea';
import { batchMessageFormat, fromAmqpMessage, fromBatchEnvelope } from '../amqp/messageCodec';
import type { IncomingMessage } from '../entities/message';
import type { Namespace, SendTarget } from '../entities/namespace';
import { BadRequestError, BrokerError, MessageSizeExceededError, toAmqpError } from '../errors';
import type { BrokerLogger } from '../logger';
import type { MessageJournal } from '../persistence/messageJournal';
import { receiverCredit } from './rheaInternals';

/** Service Bus Standard's message size limit, also the emulator's (256 KB). */
export const maxMessageSizeBytes = 262_144;

/** Credit the broker keeps open on each sending link. */
const creditWindow = 500;

export interface ProducerContext {
  namespace: Namespace;
  journal: MessageJournal;
  logger: BrokerLogger;
  connectionId: string;
}

/**
 * A client's sender: the broker's receiving link for a queue or topic. Each transfer (one message, or a batch
 * envelope of many) is stored whole and journalled before it is accepted, or rejected whole with the error
 * the SDK reports (MessageSizeExceeded, InvalidOperation for a missing session id).
 */
export class ProducerLink {
  constructor(
    private readonly receiver: Receiver,
    private readonly target: SendTarget,
    private readonly context: ProducerContext,
  ) {
    receiver.on('message', (event: EventContext) => this.onMessage(event));
  }

  /** Opens the credit window; the client's `sendMessages` waits for credit. */
  start(): void {
    this.receiver.add_credit(creditWindow);
  }

  private onMessage(event: EventContext): void {
    const delivery = event.delivery;
    if (!delivery) {
      return;
    }
    try {
      const messages = this.decode(event);
      this.context.namespace.send(this.target, messages, Date.now());
      this.context.journal.flush();
      delivery.accept();
    } catch (error) {
      const level = error instanceof BrokerError ? 'debug' : 'error';
      this.context.logger[level]('Service Bus send refused', {
        connection: this.context.connectionId,
        entity: this.target.name,
        error: error instanceof Error ? error.message : String(error),
      });
      delivery.reject(toAmqpError(error));
    }
    if (receiverCredit(this.receiver) < creditWindow / 2) {
      this.receiver.add_credit(creditWindow - receiverCredit(this.receiver));
    }
  }

  private decode(event: EventContext): IncomingMessage[] {
    const format = (event as { format?: number }).format ?? 0;
    if (format === 0 && event.message) {
      const message = fromAmqpMessage(event.message);
      this.checkSize(message.size);
      return [message];
    }
    const payload = event.message as unknown;
    if (format !== batchMessageFormat || !Buffer.isBuffer(payload)) {
      throw new BadRequestError(`Unsupported message format ${format} on the link to '${this.target.name}'.`);
    }
    this.checkSize(payload.length);
    return fromBatchEnvelope(payload).map(fromAmqpMessage);
  }

  private checkSize(size: number): void {
    if (size > maxMessageSizeBytes) {
      throw new MessageSizeExceededError(this.target.name, size, maxMessageSizeBytes);
    }
  }
}
