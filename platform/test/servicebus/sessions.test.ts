import { waitFor } from '../helpers/waitFor';
import { TestBroker, emulatorConfig, uniqueName } from './testBroker';

describe('sessions', () => {
  let broker: TestBroker;

  beforeAll(async () => {
    broker = await TestBroker.start(
      emulatorConfig({
        queues: [
          { name: 'sessions', properties: { RequiresSession: true } },
          { name: 'short-sessions', properties: { RequiresSession: true, LockDuration: 'PT2S' } },
          { name: 'requests' },
          { name: 'replies', properties: { RequiresSession: true } },
          { name: 'plain' },
        ],
      }),
    );
  });

  afterAll(async () => {
    await broker.close();
  });

  it('acceptSession receives only that session, in order', async () => {
    const client = broker.client();
    const [a, b] = [uniqueName('a'), uniqueName('b')];
    await client.createSender('sessions').sendMessages([
      { body: 1, sessionId: a },
      { body: 'x', sessionId: b },
      { body: 2, sessionId: a },
      { body: 3, sessionId: a },
    ]);
    const receiver = await client.acceptSession('sessions', a, { receiveMode: 'receiveAndDelete' });
    const bodies: unknown[] = [];
    while (bodies.length < 3) {
      const messages = await receiver.receiveMessages(3, { maxWaitTimeInMs: 2000 });
      bodies.push(...messages.map((m) => m.body as unknown));
      expect(messages.every((m) => m.sessionId === a)).toBe(true);
    }
    expect(bodies).toEqual([1, 2, 3]);
    await receiver.close();
    const other = await client.acceptSession('sessions', b, { receiveMode: 'receiveAndDelete' });
    expect((await other.receiveMessages(1, { maxWaitTimeInMs: 2000 }))[0]?.body).toBe('x');
  });

  it('a session held by one receiver cannot be accepted by another', async () => {
    const client = broker.client();
    const id = uniqueName('held');
    const first = await client.acceptSession('sessions', id);
    await expect(broker.client().acceptSession('sessions', id)).rejects.toMatchObject({
      code: 'SessionCannotBeLocked',
    });
    await first.close();
    const second = await client.acceptSession('sessions', id);
    expect(second.sessionId).toBe(id);
  });

  it('acceptNextSession waits for a session to get a message', async () => {
    const client = broker.client();
    const id = uniqueName('next');
    const accepting = client.acceptNextSession('sessions', { receiveMode: 'receiveAndDelete' });
    await new Promise((resolve) => setImmediate(resolve));
    await broker.client().createSender('sessions').sendMessages({ body: 'wake', sessionId: id });
    const receiver = await accepting;
    expect(receiver.sessionId).toBe(id);
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    expect(message?.body).toBe('wake');
  });

  it('acceptNextSession fails with ServiceTimeout when no session comes', async () => {
    const client = broker.client({ retryOptions: { maxRetries: 0, timeoutInMs: 1000 } });
    await expect(client.acceptNextSession('short-sessions')).rejects.toMatchObject({ code: 'ServiceTimeout' });
  });

  it('keeps session state for the session', async () => {
    const client = broker.client();
    const id = uniqueName('state');
    const receiver = await client.acceptSession('sessions', id);
    expect(await receiver.getSessionState()).toBeUndefined();
    await receiver.setSessionState({ step: 2 });
    expect(await receiver.getSessionState()).toEqual({ step: 2 });
    await receiver.close();
    const again = await client.acceptSession('sessions', id);
    expect(await again.getSessionState()).toEqual({ step: 2 });
  });

  it('renews the session lock, manually and automatically', async () => {
    const client = broker.client();
    const id = uniqueName('renew');
    await client.createSender('short-sessions').sendMessages({ body: 'r', sessionId: id });
    const receiver = await client.acceptSession('short-sessions', id);
    const firstExpiry = receiver.sessionLockedUntilUtc.getTime();
    const renewed = await receiver.renewSessionLock();
    expect(renewed.getTime()).toBeGreaterThanOrEqual(firstExpiry);
    await waitFor('the first lock period to pass', () => Date.now() > firstExpiry + 1000);
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    await receiver.completeMessage(message!);
  });

  it('an expired session lock fails settlement with SessionLockLost and frees the session', async () => {
    const client = broker.client();
    const id = uniqueName('expire');
    await client.createSender('short-sessions').sendMessages({ body: 'x', sessionId: id });
    const receiver = await client.acceptSession('short-sessions', id, { maxAutoLockRenewalDurationInMs: 0 });
    const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    await waitFor('the session lock to expire', () => Date.now() > receiver.sessionLockedUntilUtc.getTime() + 300);
    await expect(receiver.completeMessage(message!)).rejects.toMatchObject({ code: 'SessionLockLost' });

    const again = await broker.client().acceptSession('short-sessions', id, { receiveMode: 'receiveAndDelete' });
    const [redelivered] = await again.receiveMessages(1, { maxWaitTimeInMs: 2000 });
    expect(redelivered?.deliveryCount).toBe(1);
  });

  it('refuses a message without a session id on a session queue', async () => {
    const sender = broker.client().createSender('sessions');
    await expect(sender.sendMessages({ body: 'no session' })).rejects.toThrow(
      /InvalidOperationError: The SessionId was not set/,
    );
  });

  it('refuses a plain receiver on a session queue and a session receiver on a plain queue', async () => {
    const client = broker.client({ retryOptions: { maxRetries: 0, timeoutInMs: 5000 } });
    await expect(client.createReceiver('sessions').receiveMessages(1, { maxWaitTimeInMs: 1000 })).rejects.toThrow(
      /requires sessions/,
    );
    await expect(client.acceptSession('plain', 'x')).rejects.toMatchObject({ code: 'SessionCannotBeLocked' });
  });

  it('routes a reply to the requester session only (request/reply over sessions)', async () => {
    const client = broker.client();
    const mySession = uniqueName('me');
    const otherSession = uniqueName('other');

    const service = broker.client();
    const replier = service.createSender('replies');
    const serviceReceiver = service.createReceiver('requests');
    const subscription = serviceReceiver.subscribe({
      processMessage: async (request) => {
        await replier.sendMessages({
          body: { echo: request.body as unknown },
          sessionId: request.replyToSessionId,
          correlationId: request.messageId,
        });
      },
      processError: () => Promise.resolve(),
    });

    const requests = client.createSender('requests');
    await requests.sendMessages([
      { body: 'for other', messageId: 'req-other', replyTo: 'replies', replyToSessionId: otherSession },
      { body: 'for me', messageId: 'req-me', replyTo: 'replies', replyToSessionId: mySession },
    ]);
    const replies = await client.acceptSession('replies', mySession);
    const [reply] = await replies.receiveMessages(1, { maxWaitTimeInMs: 5000 });
    expect(reply?.correlationId).toBe('req-me');
    expect(reply?.sessionId).toBe(mySession);
    expect(reply?.body).toEqual({ echo: 'for me' });
    await replies.completeMessage(reply!);
    expect(await replies.receiveMessages(1, { maxWaitTimeInMs: 300 })).toHaveLength(0);
    await subscription.close();
  });
});
