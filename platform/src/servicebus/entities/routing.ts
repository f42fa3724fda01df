import { toAnnotationsSection, fromAmqpMessage } from '../amqp/messageCodec';
import { decodeMessage } from '../amqp/rheaCodec';
import type { FilterableMessage } from '../filters/filterableMessage';
import type { SqlValue } from '../filters/sqlAst';
import type { BrokerMessage, IncomingMessage } from './message';

/** How subscription rules see a message arriving at a topic: its system properties at enqueue time. */
export function toFilterableMessage(message: IncomingMessage, sequenceNumber: number, now: number): FilterableMessage {
  const computed: Record<string, SqlValue> = {
    sequencenumber: sequenceNumber,
    enqueuedsequencenumber: sequenceNumber,
    enqueuedtimeutc: now,
    deliverycount: 0,
    size: message.size,
  };
  if (message.timeToLiveMs !== undefined) {
    computed.timetolive = message.timeToLiveMs;
    computed.expiresatutc = now + message.timeToLiveMs;
  }
  if (message.scheduledEnqueueTime !== undefined) {
    computed.scheduledenqueuetimeutc = message.scheduledEnqueueTime;
  }
  return {
    applicationProperties: message.applicationProperties,
    system: (name) => {
      const key = name === 'subject' ? 'label' : name;
      return message.systemProperties[key] ?? computed[key];
    },
  };
}

/** A held message as if sent again: what auto-forwarding of dead-lettered messages sends on. */
export function toIncomingMessage(message: BrokerMessage): IncomingMessage {
  const decoded = decodeMessage(Buffer.concat([toAnnotationsSection(message.annotations), message.bare]));
  return fromAmqpMessage(decoded);
}
