import { randomUUID } from 'node:crypto';
import { types, type Message, type Typed } from 'rhea';
import { toGuidString } from './lockToken';
import { brokerAnnotations, type BrokerMessage, type IncomingMessage } from '../entities/message';
import {
  bodySections,
  decodeMessage,
  describedSection,
  encodeTyped,
  headerSection,
  propertiesSection,
  readSections,
  sectionCode,
  toOwnedBuffer,
  typedMap,
} from './rheaCodec';

/** `message-format` of a batch envelope: one `data` section per encoded message (sb `core/messageSender.ts`). */
export const batchMessageFormat = 0x80013700;

const maxUint = 0xffff_ffff;

/** The messages inside a batch envelope (`sendMessages([...])`, `ServiceBusMessageBatch`). */
export function fromBatchEnvelope(payload: Buffer): Message[] {
  const envelope = decodeMessage(payload);
  const body = envelope.body as { content?: unknown; multiple?: boolean } | undefined;
  const content = body?.content;
  const parts = body?.multiple && Array.isArray(content) ? content : content === undefined ? [] : [content];
  return parts.filter((part): part is Buffer => Buffer.isBuffer(part)).map((part) => decodeMessage(part));
}

/**
 * A decoded sender message as the broker keeps it. Assigns a `message-id` when the sender set none: the
 * service does, and the SDK's lock renewer needs one (reference: service-bus.md section 5).
 */
export function fromAmqpMessage(message: Message): IncomingMessage {
  if (message.message_id === undefined || message.message_id === null) {
    message.message_id = randomUUID().replace(/-/g, '');
  }
  const annotations: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(message.message_annotations ?? {})) {
    if (!brokerAnnotations.has(key)) {
      annotations[key] = value;
    }
  }
  const applicationProperties = (message.application_properties ?? {}) as Record<string, unknown>;
  const bare = encodeBare(message);
  const scheduled = annotations['x-opt-scheduled-enqueue-time'];
  return {
    messageId: idText(message.message_id),
    sessionId: typeof message.group_id === 'string' ? message.group_id : undefined,
    timeToLiveMs: typeof message.ttl === 'number' ? message.ttl : undefined,
    scheduledEnqueueTime: scheduled instanceof Date ? scheduled.getTime() : undefined,
    annotations,
    systemProperties: systemPropertiesOf(message),
    applicationProperties,
    bare,
    size: bare.length + (Object.keys(annotations).length > 0 ? toAnnotationsSection(annotations).length : 0),
  };
}

/** Broker-side facts a delivered or peeked message carries. */
export interface DeliveryView {
  /** Lock expiry for peek-lock deliveries; absent for peek and receive-and-delete. */
  lockedUntil?: number;
}

/** The encoded message the broker transfers: header and annotations for this delivery, then the bare message. */
export function toAmqpDelivery(message: BrokerMessage, view: DeliveryView = {}): Buffer {
  const ttl = message.timeToLiveMs !== undefined && message.timeToLiveMs <= maxUint ? message.timeToLiveMs : undefined;
  // The JS SDK shows the header's count as deliveryCount: attempts before this one (service-bus.md section 8).
  const attemptsBefore = view.lockedUntil === undefined ? message.deliveryCount : message.deliveryCount - 1;
  const header = headerSection({ delivery_count: Math.max(0, attemptsBefore), ...(ttl !== undefined ? { ttl } : {}) });
  const annotations: Record<string, unknown> = {
    ...message.annotations,
    'x-opt-sequence-number': types.wrap_long(message.sequenceNumber),
    'x-opt-enqueued-time': new Date(message.enqueuedAt),
  };
  if (view.lockedUntil !== undefined) {
    annotations['x-opt-locked-until'] = new Date(view.lockedUntil);
  }
  if (message.state !== 'active') {
    annotations['x-opt-message-state'] = types.wrap_int(message.state === 'deferred' ? 1 : 2);
  }
  if (message.deadLetterSource !== undefined) {
    annotations['x-opt-deadletter-source'] = message.deadLetterSource;
  }
  return Buffer.concat([encodeTyped([header]), toAnnotationsSection(annotations), message.bare]);
}

/** An encoded message-annotations section (symbol keys). */
export function toAnnotationsSection(annotations: Record<string, unknown>): Buffer {
  return encodeTyped([describedSection(sectionCode.messageAnnotations, types.wrap_symbolic_map(annotations))]);
}

/** The annotations of an encoded message-annotations section (inverse of `toAnnotationsSection`). */
export function fromAnnotationsSection(encoded: Buffer): Record<string, unknown> {
  if (encoded.length === 0) {
    return {};
  }
  return decodeMessage(encoded).message_annotations ?? {};
}

/**
 * The bare message with application properties added or replaced (abandon / defer / dead-letter with
 * properties to modify). Other sections and the types of untouched properties are kept byte for byte.
 */
export function withApplicationProperties(bare: Buffer, patch: Record<string, unknown>): Buffer {
  const sections = readSections(bare);
  const existing = sections.find((section) => section.code === sectionCode.applicationProperties);
  const items: Typed[] = [];
  const existingItems = (existing?.value ?? []) as Typed[];
  for (let i = 0; i + 1 < existingItems.length; i += 2) {
    const key = existingItems[i] as Typed;
    if (!Object.prototype.hasOwnProperty.call(patch, String(key.value))) {
      items.push(key, existingItems[i + 1] as Typed);
    }
  }
  for (const [key, value] of Object.entries(patch)) {
    items.push(types.wrap_string(key), types.wrap(value));
  }
  const encoded = encodeTyped([describedSection(sectionCode.applicationProperties, typedMap(items))]);
  const insertAt = existing
    ? existing.start
    : (sections.find((section) => section.code !== sectionCode.properties)?.start ?? bare.length);
  const skipTo = existing ? existing.end : insertAt;
  return toOwnedBuffer(Buffer.concat([bare.subarray(0, insertAt), encoded, bare.subarray(skipTo)]));
}

/** The application properties of a bare message, decoded. */
export function applicationPropertiesOf(bare: Buffer): Record<string, unknown> {
  return (decodeMessage(bare).application_properties ?? {}) as Record<string, unknown>;
}

/**
 * Re-encodes the bare message. rhea hands format-0 transfers over already decoded, so application property
 * types follow rhea's mapping of JS values (a `long` 5 comes back as a `uint` 5); the JS SDK reads both alike.
 */
function encodeBare(message: Message): Buffer {
  const values: Typed[] = [propertiesSection(message)];
  if (message.application_properties !== undefined) {
    values.push(describedSection(sectionCode.applicationProperties, types.wrap_map(message.application_properties)));
  }
  values.push(...bodySections(message.body));
  if (message.footer !== undefined) {
    values.push(describedSection(sectionCode.footer, types.wrap_symbolic_map(message.footer)));
  }
  return toOwnedBuffer(encodeTyped(values));
}

function systemPropertiesOf(message: Message): Record<string, string> {
  const result: Record<string, string> = {};
  const set = (name: string, value: unknown) => {
    if (value !== undefined && value !== null) {
      result[name] = idText(value);
    }
  };
  set('messageid', message.message_id);
  set('correlationid', message.correlation_id);
  set('to', message.to);
  set('replyto', message.reply_to);
  set('label', message.subject);
  set('sessionid', message.group_id);
  set('replytosessionid', message.reply_to_group_id);
  set('contenttype', message.content_type);
  return result;
}

/** Text of an AMQP message id or string property: uuids (16-byte buffers) as GUIDs, other binary as hex. */
function idText(id: unknown): string {
  if (Buffer.isBuffer(id)) {
    return id.length === 16 ? toGuidString(id) : id.toString('hex');
  }
  if (typeof id === 'string') {
    return id;
  }
  return typeof id === 'number' || typeof id === 'boolean' || typeof id === 'bigint' ? String(id) : JSON.stringify(id);
}
