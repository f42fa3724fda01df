import { fromAnnotationsSection, toAnnotationsSection } from '../amqp/messageCodec';
import { toOwnedBuffer } from '../amqp/rheaCodec';
import type { BrokerMessage, MessageState } from '../entities/message';

/** One change to the broker's messages, as the journal stores it. */
export type JournalRecord =
  | { kind: 'enqueued'; entityPath: string; message: BrokerMessage }
  | { kind: 'updated'; entityPath: string; message: BrokerMessage; contentChanged: boolean }
  | { kind: 'removed'; entityPath: string; sequenceNumber: number }
  | { kind: 'sessionState'; entityPath: string; sessionId: string; state: Buffer | undefined }
  | { kind: 'sequence'; counter: string; last: number };

/** An `updated` record as read back: the new metadata, and new content only when it changed. */
export interface MessageUpdate {
  metadata: Omit<BrokerMessage, 'annotations' | 'bare' | 'lock'>;
  content: { annotations: Record<string, unknown>; bare: Buffer } | undefined;
}

const kindCodes = { enqueued: 1, updated: 2, removed: 3, sessionState: 4, sequence: 5 } as const;
const stateCodes: Record<MessageState, string> = { active: 'a', deferred: 'd', scheduled: 's' };

interface MessageMetadata {
  e: string;
  s: number;
  t: number;
  x: number | null;
  l: number | null;
  a: number | null;
  st: string;
  c: number;
  sid: string | null;
  id: string;
  dls: string | null;
  /** Length of the annotations section at the start of the binary part; absent when no content follows. */
  an?: number;
}

/**
 * Encodes a record as `[u32 length][u8 kind][u32 json length][json][binary]`. The length prefix lets a reader
 * recognise a record torn by a crash at the end of the file.
 */
export function toJournalRecord(record: JournalRecord): Buffer {
  let json: object;
  let binary: Buffer[] = [];
  switch (record.kind) {
    case 'enqueued':
    case 'updated': {
      const withContent = record.kind === 'enqueued' || record.contentChanged;
      const annotations = withContent ? toAnnotationsSection(record.message.annotations) : undefined;
      json = { ...toMetadata(record.entityPath, record.message), ...(annotations ? { an: annotations.length } : {}) };
      binary = annotations ? [annotations, record.message.bare] : [];
      break;
    }
    case 'removed':
      json = { e: record.entityPath, s: record.sequenceNumber };
      break;
    case 'sessionState':
      json = { e: record.entityPath, sid: record.sessionId, has: record.state !== undefined };
      binary = record.state ? [record.state] : [];
      break;
    case 'sequence':
      json = { n: record.counter, s: record.last };
      break;
  }
  const jsonBytes = Buffer.from(JSON.stringify(json));
  const head = Buffer.alloc(9);
  const length = 5 + jsonBytes.length + binary.reduce((sum, part) => sum + part.length, 0);
  head.writeUInt32BE(length, 0);
  head.writeUInt8(kindCodes[record.kind], 4);
  head.writeUInt32BE(jsonBytes.length, 5);
  return Buffer.concat([head, jsonBytes, ...binary]);
}

/** A decoded journal record, or what a reader needs to know to go on. */
export type ReadResult =
  | { status: 'record'; record: DecodedRecord; next: number }
  | { status: 'incomplete' }
  | { status: 'corrupt'; problem: string };

/** A record read back; `updated` carries only what the record holds. */
export type DecodedRecord =
  | { kind: 'enqueued'; entityPath: string; message: BrokerMessage }
  | { kind: 'updated'; entityPath: string; update: MessageUpdate }
  | { kind: 'removed'; entityPath: string; sequenceNumber: number }
  | { kind: 'sessionState'; entityPath: string; sessionId: string; state: Buffer | undefined }
  | { kind: 'sequence'; counter: string; last: number };

/** Reads the record starting at `offset` of `buffer` (inverse of `toJournalRecord`). */
export function fromJournalRecord(buffer: Buffer, offset: number): ReadResult {
  if (buffer.length - offset < 4) {
    return { status: 'incomplete' };
  }
  const length = buffer.readUInt32BE(offset);
  if (buffer.length - offset - 4 < length) {
    return { status: 'incomplete' };
  }
  const kind = buffer.readUInt8(offset + 4);
  const jsonLength = buffer.readUInt32BE(offset + 5);
  const jsonEnd = offset + 9 + jsonLength;
  const end = offset + 4 + length;
  if (jsonEnd > end) {
    return { status: 'corrupt', problem: `record at byte ${offset} is shorter than its JSON part` };
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(buffer.toString('utf8', offset + 9, jsonEnd)) as Record<string, unknown>;
  } catch {
    return { status: 'corrupt', problem: `record at byte ${offset} has unreadable JSON` };
  }
  const binary = buffer.subarray(jsonEnd, end);
  const record = decode(kind, json, binary);
  return record
    ? { status: 'record', record, next: end }
    : { status: 'corrupt', problem: `unknown record kind ${kind}` };
}

function decode(kind: number, json: Record<string, unknown>, binary: Buffer): DecodedRecord | undefined {
  switch (kind) {
    case kindCodes.enqueued: {
      const metadata = json as unknown as MessageMetadata;
      const content = splitContent(metadata, binary);
      return {
        kind: 'enqueued',
        entityPath: metadata.e,
        message: {
          ...fromMetadata(metadata),
          ...(content ?? { annotations: {}, bare: Buffer.alloc(0) }),
          lock: undefined,
        },
      };
    }
    case kindCodes.updated: {
      const metadata = json as unknown as MessageMetadata;
      return {
        kind: 'updated',
        entityPath: metadata.e,
        update: { metadata: fromMetadata(metadata), content: splitContent(metadata, binary) },
      };
    }
    case kindCodes.removed:
      return { kind: 'removed', entityPath: String(json.e), sequenceNumber: Number(json.s) };
    case kindCodes.sessionState:
      return {
        kind: 'sessionState',
        entityPath: String(json.e),
        sessionId: String(json.sid),
        state: json.has ? Buffer.from(binary) : undefined,
      };
    case kindCodes.sequence:
      return { kind: 'sequence', counter: String(json.n), last: Number(json.s) };
    default:
      return undefined;
  }
}

function toMetadata(entityPath: string, message: BrokerMessage): MessageMetadata {
  return {
    e: entityPath,
    s: message.sequenceNumber,
    t: message.enqueuedAt,
    x: Number.isFinite(message.expiresAt) ? message.expiresAt : null,
    l: message.timeToLiveMs ?? null,
    a: message.scheduledAt ?? null,
    st: stateCodes[message.state],
    c: message.deliveryCount,
    sid: message.sessionId ?? null,
    id: message.messageId,
    dls: message.deadLetterSource ?? null,
  };
}

function fromMetadata(metadata: MessageMetadata): MessageUpdate['metadata'] {
  const state = (Object.keys(stateCodes) as MessageState[]).find((key) => stateCodes[key] === metadata.st) ?? 'active';
  return {
    sequenceNumber: metadata.s,
    enqueuedAt: metadata.t,
    expiresAt: metadata.x ?? Infinity,
    timeToLiveMs: metadata.l ?? undefined,
    scheduledAt: metadata.a ?? undefined,
    state,
    deliveryCount: metadata.c,
    sessionId: metadata.sid ?? undefined,
    messageId: metadata.id,
    deadLetterSource: metadata.dls ?? undefined,
  };
}

function splitContent(
  metadata: MessageMetadata,
  binary: Buffer,
): { annotations: Record<string, unknown>; bare: Buffer } | undefined {
  if (metadata.an === undefined) {
    return undefined;
  }
  return {
    annotations: fromAnnotationsSection(binary.subarray(0, metadata.an)),
    // Copied so the message does not pin the whole read buffer.
    bare: toOwnedBuffer(binary.subarray(metadata.an)),
  };
}
