import type { EmbeddedAzurite } from '../../../src/storage/azurite';
import { startTestAzurite } from '../../helpers/testHost';
import { waitFor } from '../../helpers/waitFor';
import { logsOf, receiveJson, receiveTexts, sendJson, startQueueApp, type QueueApp } from './queueTestApp';

describe('storage queue trigger', () => {
  let azurite: EmbeddedAzurite;
  let app: QueueApp;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    app = await startQueueApp(azurite);
  });

  afterAll(async () => {
    await app?.stop();
    await azurite?.close();
  });

  it('hands the handler the message as an object with the trigger metadata the Node app sees', async () => {
    await sendJson(app.queue(app.names.EchoQueue), { orderId: 7 });

    const [echo] = await receiveJson<{ item: unknown; type: string; triggerMetadata: Record<string, unknown> }>(
      app.queue(app.names.EchoOutQueue),
    );

    expect(echo?.item).toEqual({ orderId: 7 });
    expect(echo?.type).toBe('object');
    const metadata = echo?.triggerMetadata ?? {};
    expect(metadata.queueTrigger).toEqual({ orderId: 7 });
    expect(metadata.dequeueCount).toBe(1);
    expect(typeof metadata.id).toBe('string');
    expect(typeof metadata.popReceipt).toBe('string');
    for (const time of ['insertionTime', 'expirationTime', 'nextVisibleTime']) {
      expect(Number.isNaN(Date.parse(String(metadata[time])))).toBe(false);
    }
  });

  it('deletes a message once its function succeeded', async () => {
    const queue = app.queue(app.names.EchoQueue);
    await sendJson(queue, { orderId: 8 });
    await receiveJson(app.queue(app.names.EchoOutQueue));

    await waitFor('the trigger message to be deleted', async () => {
      const properties = await queue.getProperties();
      return properties.approximateMessagesCount === 0;
    });
  });

  it('moves a message to <queue>-poison after the fifth failed dequeue, keeping its body', async () => {
    const body = { orderId: 9, note: 'poison me' };
    await sendJson(app.queue(app.names.FailQueue), body);

    const [poisoned] = await receiveJson(app.queue(`${app.names.FailQueue}-poison`));

    expect(poisoned).toEqual(body);
    expect(logsOf(app.logs, 'Executing function', 'failing')).toHaveLength(5);
    const moved = logsOf(app.logs, 'Moving message to poison queue', 'failing');
    expect(moved).toHaveLength(1);
    expect(moved[0]?.fields).toMatchObject({ dequeueCount: 5, maxDequeueCount: 5, reason: 'MaxDequeueCountReached' });
    expect(JSON.stringify(moved[0]?.fields)).not.toContain('poison me');
    expect((await app.queue(app.names.FailQueue).getProperties()).approximateMessagesCount).toBe(0);
  });

  it('moves a message that is not valid base64 straight to the poison queue without running the function', async () => {
    const queue = app.queue(app.names.EchoQueue);
    await queue.sendMessage('{"not":"base64"}');

    const poison = app.queue(`${app.names.EchoQueue}-poison`);
    const text = await waitFor('the undecodable message on the poison queue', async () => {
      const { receivedMessageItems } = await poison.receiveMessages();
      return receivedMessageItems[0]?.messageText;
    });

    expect(text).toBe('{"not":"base64"}');
    const moved = logsOf(app.logs, 'Moving message to poison queue', 'echo');
    expect(moved.map((r) => r.fields.reason)).toEqual(['UndecodableMessage']);
  });

  it('sends one message per element when a function returns an array to a queue output', async () => {
    await sendJson(app.queue(app.names.FanQueue), { items: [{ n: 1 }, 'two', 3] });

    const received = await receiveTexts(app.queue(app.names.FanOutQueue), 3);

    expect(received.sort()).toEqual(['3', 'two', '{"n":1}']);
    expect(received).toHaveLength(3);
  });

  it('lets one function trigger another through a queue output binding', async () => {
    await sendJson(app.queue(app.names.RelayQueue), { step: 1 });

    const [ended] = await receiveJson(app.queue(app.names.RelayOutQueue));

    expect(ended).toEqual({ step: 1, relayed: true, ended: true });
  });

  it('logs each queue function with its queue in the start-up summary', () => {
    const loaded = logsOf(app.logs, 'Function loaded', 'echo');

    expect(loaded[0]?.fields.detail).toBe(`queue '${app.names.EchoQueue}'`);
  });

  it('says once that a trigger queue is missing, waits for it, and listens again when it exists', async () => {
    const queue = app.queue(app.names.EchoQueue);
    await queue.delete();

    await waitFor(
      'the missing-queue warning',
      () => logsOf(app.logs, 'Queue does not exist; the trigger waits until it is created', 'echo').length > 0,
    );
    await queue.create();
    await sendJson(queue, { orderId: 10 });
    const [echo] = await receiveJson<{ item: unknown }>(app.queue(app.names.EchoOutQueue));

    expect(echo?.item).toEqual({ orderId: 10 });
    expect(logsOf(app.logs, 'Queue does not exist; the trigger waits until it is created', 'echo')).toHaveLength(1);
    expect(logsOf(app.logs, 'Queue now exists; listening', 'echo')).toHaveLength(1);
  });
});
