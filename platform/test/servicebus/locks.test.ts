import { waitFor } from '../helpers/waitFor';
import { TestBroker, emulatorConfig } from './testBroker';

describe('message locks', () => {
  let broker: TestBroker;

  beforeAll(async () => {
    broker = await TestBroker.start(
      emulatorConfig({
        queues: [
          { name: 'expiry', properties: { LockDuration: 'PT1S', MaxDeliveryCount: 10 } },
          // Two seconds leave renewals a margin on a busy machine.
          { name: 'renew', properties: { LockDuration: 'PT2S' } },
          { name: 'auto-renew', properties: { LockDuration: 'PT2S' } },
        ],
      }),
    );
  });

  afterAll(async () => {
    await broker.close();
  });

  it('an expired lock makes completion fail with MessageLockLost and redelivers with deliveryCount 1', async () => {
    const client = broker.client();
    await client.createSender('expiry').sendMessages({ body: 'e', messageId: 'exp-1' });
    // The SDK renews locks automatically for 5 minutes unless told not to.
    const receiver = client.createReceiver('expiry', { maxAutoLockRenewalDurationInMs: 0 });
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    expect(message!.lockedUntilUtc!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);

    await waitFor('the lock to expire', () => Date.now() > message!.lockedUntilUtc!.getTime() + 200);
    await expect(receiver.completeMessage(message!)).rejects.toMatchObject({ code: 'MessageLockLost' });

    const [again] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    expect(again?.messageId).toBe('exp-1');
    expect(again?.deliveryCount).toBe(1);
    await receiver.completeMessage(again!);
  });

  it('renewMessageLock extends the lock past its original expiry', async () => {
    const client = broker.client();
    await client.createSender('renew').sendMessages({ body: 'r' });
    const receiver = client.createReceiver('renew', { maxAutoLockRenewalDurationInMs: 0 });
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    const firstExpiry = message!.lockedUntilUtc!.getTime();

    let lockedUntil = firstExpiry;
    while (Date.now() < firstExpiry + 500) {
      const halfway = lockedUntil - 1000;
      await waitFor('half of the lock to pass', () => Date.now() >= halfway);
      lockedUntil = (await receiver.renewMessageLock(message!)).getTime();
      expect(lockedUntil).toBeGreaterThan(firstExpiry);
    }
    await receiver.completeMessage(message!);
  });

  it("the SDK's automatic renewal keeps a short lock alive through a long handler", async () => {
    const client = broker.client();
    await client.createSender('auto-renew').sendMessages({ body: 'a', messageId: 'auto-1' });
    const receiver = client.createReceiver('auto-renew');
    const outcome = await new Promise<{ deliveryCount: number | undefined; error?: unknown }>((resolve) => {
      const subscription = receiver.subscribe(
        {
          processMessage: async (message) => {
            // A handler busy for 1.5 lock durations: only renewal keeps the lock.
            await new Promise((done) => setTimeout(done, 3000));
            await receiver.completeMessage(message);
            resolve({ deliveryCount: message.deliveryCount });
            await subscription.close();
          },
          processError: async (args) => {
            resolve({ deliveryCount: undefined, error: args.error });
            await subscription.close();
          },
        },
        { autoCompleteMessages: false },
      );
    });
    expect(outcome.error).toBeUndefined();
    expect(outcome.deliveryCount).toBe(0);
    expect(await receiver.peekMessages(1)).toHaveLength(0);
  });
});
