import { message as rheaMessage } from 'rhea';
import { fromAmqpMessage } from '../../src/servicebus/amqp/messageCodec';
import { decodeMessage } from '../../src/servicebus/amqp/rheaCodec';
import type { BrokerMessage } from '../../src/servicebus/entities/message';
import { fromJournalRecord, toJournalRecord } from '../../src/servicebus/persistence/journalRecords';

const incoming = fromAmqpMessage(
  decodeMessage(
    rheaMessage.encode({
      message_id: 'm-1',
      group_id: 's',
      message_annotations: { 'x-opt-partition-key': 'p' },
      body: 'payload',
    }),
  ),
);

const message: BrokerMessage = {
  sequenceNumber: 42,
  enqueuedAt: 1_700_000_000_000,
  expiresAt: Infinity,
  timeToLiveMs: undefined,
  scheduledAt: 1_700_000_100_000,
  state: 'scheduled',
  deliveryCount: 3,
  sessionId: 's',
  messageId: 'm-1',
  annotations: incoming.annotations,
  bare: incoming.bare,
  deadLetterSource: 'orders',
  lock: { token: 'not-persisted', until: 1, sessionId: undefined },
};

describe('journal records', () => {
  it('an enqueued record reads back as the same message, without its lock', () => {
    const encoded = toJournalRecord({ kind: 'enqueued', entityPath: 'orders/$deadletterqueue', message });
    const result = fromJournalRecord(encoded, 0);
    expect(result.status).toBe('record');
    if (result.status !== 'record' || result.record.kind !== 'enqueued') {
      throw new Error('expected an enqueued record');
    }
    expect(result.next).toBe(encoded.length);
    expect(result.record.entityPath).toBe('orders/$deadletterqueue');
    expect(result.record.message).toEqual({ ...message, lock: undefined });
  });

  it('an updated record without content change carries only metadata', () => {
    const result = fromJournalRecord(
      toJournalRecord({ kind: 'updated', entityPath: 'q', message, contentChanged: false }),
      0,
    );
    if (result.status !== 'record' || result.record.kind !== 'updated') {
      throw new Error('expected an updated record');
    }
    expect(result.record.update.content).toBeUndefined();
    expect(result.record.update.metadata).toMatchObject({ sequenceNumber: 42, deliveryCount: 3, state: 'scheduled' });
  });

  it('removed, session state and sequence records round-trip', () => {
    const records = [
      toJournalRecord({ kind: 'removed', entityPath: 'q', sequenceNumber: 9 }),
      toJournalRecord({ kind: 'sessionState', entityPath: 'q', sessionId: 's', state: Buffer.from('state') }),
      toJournalRecord({ kind: 'sessionState', entityPath: 'q', sessionId: 's', state: undefined }),
      toJournalRecord({ kind: 'sequence', counter: 'q', last: 77 }),
    ];
    const buffer = Buffer.concat(records);
    const read = [];
    for (let offset = 0; offset < buffer.length;) {
      const result = fromJournalRecord(buffer, offset);
      if (result.status !== 'record') {
        throw new Error(`unexpected ${result.status}`);
      }
      read.push(result.record);
      offset = result.next;
    }
    expect(read).toEqual([
      { kind: 'removed', entityPath: 'q', sequenceNumber: 9 },
      { kind: 'sessionState', entityPath: 'q', sessionId: 's', state: Buffer.from('state') },
      { kind: 'sessionState', entityPath: 'q', sessionId: 's', state: undefined },
      { kind: 'sequence', counter: 'q', last: 77 },
    ]);
  });

  it('a record cut short reads as incomplete, a damaged one as corrupt', () => {
    const encoded = toJournalRecord({ kind: 'removed', entityPath: 'q', sequenceNumber: 1 });
    expect(fromJournalRecord(encoded.subarray(0, encoded.length - 1), 0)).toEqual({ status: 'incomplete' });
    const damaged = Buffer.from(encoded);
    damaged.writeUInt8(99, 4);
    expect(fromJournalRecord(damaged, 0).status).toBe('corrupt');
  });
});
