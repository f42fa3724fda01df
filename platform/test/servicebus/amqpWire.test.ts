import { message as rheaMessage, types } from 'rhea';
import { fromLinkAddress, toManagedEntityAddress } from '../../src/servicebus/amqp/address';
import { fromDotNetTicks, toDotNetTicks } from '../../src/servicebus/amqp/dotNetTicks';
import { fromDeliveryTag, fromGuidString, toDeliveryTag, toGuidString } from '../../src/servicebus/amqp/lockToken';
import {
  applicationPropertiesOf,
  fromAmqpMessage,
  fromBatchEnvelope,
  toAmqpDelivery,
  withApplicationProperties,
} from '../../src/servicebus/amqp/messageCodec';
import { fromDeliveryOutcome } from '../../src/servicebus/amqp/outcomes';
import { decodeMessage, readSections } from '../../src/servicebus/amqp/rheaCodec';
import type { BrokerMessage } from '../../src/servicebus/entities/message';

function brokerMessage(overrides: Partial<BrokerMessage> = {}): BrokerMessage {
  const incoming = fromAmqpMessage(
    decodeMessage(rheaMessage.encode({ message_id: 'id-1', body: 'hello', application_properties: { a: 1 } })),
  );
  return {
    sequenceNumber: 7,
    enqueuedAt: 1_700_000_000_000,
    expiresAt: Infinity,
    timeToLiveMs: undefined,
    scheduledAt: undefined,
    state: 'active',
    deliveryCount: 0,
    sessionId: undefined,
    messageId: incoming.messageId,
    annotations: incoming.annotations,
    bare: incoming.bare,
    deadLetterSource: undefined,
    lock: undefined,
    ...overrides,
  };
}

describe('lock tokens on the wire', () => {
  it('toDeliveryTag puts the GUID in .NET byte order, as the SDK reorders it back', () => {
    const token = '01020304-0506-0708-090a-0b0c0d0e0f10';
    expect(toDeliveryTag(token).toString('hex')).toBe('04030201060508070' + '90a0b0c0d0e0f10');
    expect(fromDeliveryTag(toDeliveryTag(token))).toBe(token);
  });

  it('toGuidString and fromGuidString keep network byte order for $management uuids', () => {
    const token = 'a1b2c3d4-e5f6-0718-293a-4b5c6d7e8f90';
    expect(fromGuidString(token).toString('hex')).toBe(token.replace(/-/g, ''));
    expect(toGuidString(fromGuidString(token))).toBe(token);
  });
});

describe('.NET ticks', () => {
  it('toDotNetTicks writes ms × 10000 + the epoch offset as a big-endian long', () => {
    const ticks = toDotNetTicks(0);
    expect(ticks.readBigInt64BE(0)).toBe(621_355_968_000_000_000n);
    expect(fromDotNetTicks(toDotNetTicks(1_700_000_000_123))).toBe(1_700_000_000_123);
  });
});

describe('message codec', () => {
  it('fromAmqpMessage assigns a 32-hex-digit message id when the sender set none', () => {
    const incoming = fromAmqpMessage(decodeMessage(rheaMessage.encode({ body: 'x' })));
    expect(incoming.messageId).toMatch(/^[0-9a-f]{32}$/);
    expect(decodeMessage(incoming.bare).message_id).toBe(incoming.messageId);
  });

  it('fromAmqpMessage drops broker-owned annotations and reads session, TTL and schedule', () => {
    const scheduled = new Date(1_800_000_000_000);
    const incoming = fromAmqpMessage(
      decodeMessage(
        rheaMessage.encode({
          group_id: 's-1',
          ttl: 5000,
          subject: 'label',
          message_annotations: {
            'x-opt-sequence-number': 99,
            'x-opt-scheduled-enqueue-time': scheduled,
            'x-opt-partition-key': 'p',
          },
          body: 'x',
        }),
      ),
    );
    expect(incoming.sessionId).toBe('s-1');
    expect(incoming.timeToLiveMs).toBe(5000);
    expect(incoming.scheduledEnqueueTime).toBe(scheduled.getTime());
    expect(Object.keys(incoming.annotations).sort()).toEqual(['x-opt-partition-key', 'x-opt-scheduled-enqueue-time']);
    expect(incoming.systemProperties).toMatchObject({ label: 'label', sessionid: 's-1' });
  });

  it('toAmqpDelivery carries sequence number, enqueued and locked-until times and the prior attempts', () => {
    const decoded = decodeMessage(
      toAmqpDelivery(brokerMessage({ deliveryCount: 2 }), { lockedUntil: 1_700_000_060_000 }),
    );
    expect(decoded.delivery_count).toBe(1);
    expect(decoded.message_annotations).toMatchObject({
      'x-opt-sequence-number': 7,
      'x-opt-enqueued-time': new Date(1_700_000_000_000),
      'x-opt-locked-until': new Date(1_700_000_060_000),
    });
    expect(decoded.body).toBe('hello');
    expect(decoded.application_properties).toEqual({ a: 1 });
  });

  it('toAmqpDelivery marks deferred and scheduled messages and dead-letter sources', () => {
    const deferred = decodeMessage(toAmqpDelivery(brokerMessage({ state: 'deferred', deadLetterSource: 'q' })));
    expect(deferred.message_annotations).toMatchObject({ 'x-opt-message-state': 1, 'x-opt-deadletter-source': 'q' });
    const scheduled = decodeMessage(toAmqpDelivery(brokerMessage({ state: 'scheduled', timeToLiveMs: 1000 })));
    expect(scheduled.message_annotations?.['x-opt-message-state']).toBe(2);
    expect(scheduled.ttl).toBe(1000);
  });

  it('withApplicationProperties replaces and adds properties, keeping the others and their AMQP types', () => {
    const bare = rheaMessage.encode({
      message_id: 'm',
      application_properties: { keep: types.wrap_long(5), change: 'old' },
      body: 'b',
    });
    const patched = withApplicationProperties(bare, { change: 'new', added: true });
    expect(applicationPropertiesOf(patched)).toEqual({ keep: 5, change: 'new', added: true });
    const section = readSections(patched).find((s) => s.code === 0x74);
    const keepType = (section?.value as Array<{ type: { name: string } }>)[1]?.type.name;
    expect(keepType).toBe('SmallLong');
    expect(decodeMessage(patched).body).toBe('b');
    expect(decodeMessage(patched).message_id).toBe('m');
  });

  it('withApplicationProperties adds the section when the message had none', () => {
    const incoming = fromAmqpMessage(decodeMessage(rheaMessage.encode({ message_id: 'm', body: 'b' })));
    expect(applicationPropertiesOf(withApplicationProperties(incoming.bare, { DeadLetterReason: 'r' }))).toEqual({
      DeadLetterReason: 'r',
    });
  });

  it('fromBatchEnvelope unpacks one message per data section', () => {
    const parts = [rheaMessage.encode({ body: 1 }), rheaMessage.encode({ body: 2 })];
    const body: unknown = rheaMessage.data_sections(parts);
    const envelope = rheaMessage.encode({ body });
    expect(fromBatchEnvelope(envelope).map((m) => m.body as unknown)).toEqual([1, 2]);
  });
});

describe('delivery outcomes', () => {
  it("fromDeliveryOutcome maps the SDK's dispositions to settlements", () => {
    expect(fromDeliveryOutcome('accepted', undefined)).toEqual({ kind: 'complete' });
    expect(fromDeliveryOutcome('modified', { undeliverable_here: true, message_annotations: { a: 1 } })).toEqual({
      kind: 'defer',
      propertiesToModify: { a: 1 },
    });
    expect(fromDeliveryOutcome('modified', { delivery_failed: true })).toEqual({
      kind: 'abandon',
      propertiesToModify: undefined,
    });
    expect(
      fromDeliveryOutcome('rejected', {
        error: {
          condition: 'com.microsoft:dead-letter',
          info: { DeadLetterReason: 'r', DeadLetterErrorDescription: 'd', extra: 1 },
        },
      }),
    ).toEqual({ kind: 'deadLetter', reason: 'r', description: 'd', propertiesToModify: { extra: 1 } });
  });
});

describe('link addresses', () => {
  it('fromLinkAddress separates entity, sub-queue and $management', () => {
    expect(fromLinkAddress('orders')).toEqual({ entityPath: 'orders', subQueue: undefined, management: false });
    expect(fromLinkAddress('t/Subscriptions/s/$DeadLetterQueue/$management')).toEqual({
      entityPath: 't/Subscriptions/s',
      subQueue: 'deadLetter',
      management: true,
    });
    expect(fromLinkAddress('q/$Transfer/$DeadLetterQueue')).toEqual({
      entityPath: 'q',
      subQueue: 'transferDeadLetter',
      management: false,
    });
    expect(fromLinkAddress('sb://localhost:5672/orders/')).toEqual({
      entityPath: 'orders',
      subQueue: undefined,
      management: false,
    });
    expect(toManagedEntityAddress('q/$DeadLetterQueue/$management')).toBe('q/$DeadLetterQueue');
  });
});
