import { buildReply, replyMessageId, toServiceBusMessage } from '../../../lib/orders/replies';

const order = { orderId: 'o-1', correlationId: 'corr-1', replyTo: 'order-replies-sessions', replyToSessionId: 's-1' };
const at = new Date('2026-01-02T03:04:05.000Z');

describe('order replies', () => {
  it('builds a reply with a deterministic message id, the subject and the session id', () => {
    const reply = buildReply(order, { step: 'chargePayment', outcome: 'completed', at, progress: 50 });

    expect(reply).toEqual({
      to: 'order-replies-sessions',
      sessionId: 's-1',
      correlationId: 'corr-1',
      messageId: 'o-1:chargePayment:completed',
      subject: 'chargePayment.completed',
      body: {
        orderId: 'o-1',
        correlationId: 'corr-1',
        step: 'chargePayment',
        outcome: 'completed',
        at: '2026-01-02T03:04:05.000Z',
        progress: 50,
      },
    });
  });

  it('builds no reply when the order named no reply entity', () => {
    expect(
      buildReply({ orderId: 'o-1', correlationId: 'o-1' }, { step: 'order', outcome: 'completed', at, progress: 100 }),
    ).toBe(undefined);
  });

  it('gives the same message id to the same step and outcome, and a different one otherwise', () => {
    expect(replyMessageId('o-1', 'order', 'completed')).toBe(replyMessageId('o-1', 'order', 'completed'));
    expect(replyMessageId('o-1', 'order', 'completed')).not.toBe(replyMessageId('o-1', 'order', 'compensated'));
  });

  it('translates to a Service Bus message without a session id when none was asked for', () => {
    const reply = buildReply(
      { ...order, replyToSessionId: undefined },
      { step: 'order', outcome: 'completed', at, progress: 100 },
    );

    const message = reply && toServiceBusMessage(reply);

    expect(message).toMatchObject({
      messageId: 'o-1:order:completed',
      correlationId: 'corr-1',
      subject: 'order.completed',
      contentType: 'application/json',
      applicationProperties: { orderId: 'o-1', step: 'order', outcome: 'completed' },
    });
    expect(message).not.toHaveProperty('sessionId');
  });
});
