import type { EmbeddedAzurite } from '../../../src/storage/azurite';
import { startTestAzurite } from '../../helpers/testHost';
import { waitFor } from '../../helpers/waitFor';
import { sendJson, startQueueApp, type QueueApp } from './queueTestApp';

describe('queue messageEncoding none', () => {
  let azurite: EmbeddedAzurite;
  let app: QueueApp;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    app = await startQueueApp(azurite, { hostJson: { extensions: { queues: { messageEncoding: 'none' } } } });
  });

  afterAll(async () => {
    await app?.stop();
    await azurite?.close();
  });

  it('reads plain message text and writes outputs as plain text', async () => {
    await app.queue(app.names.EchoQueue).sendMessage('{"plain":true}');

    const text = await waitFor('the plain-text echo', async () => {
      const { receivedMessageItems } = await app.queue(app.names.EchoOutQueue).receiveMessages();
      return receivedMessageItems[0]?.messageText;
    });

    expect(JSON.parse(text)).toMatchObject({ item: { plain: true }, type: 'object' });
  });

  it('hands base64 text over as it is, because nothing is decoded', async () => {
    await sendJson(app.queue(app.names.EchoQueue), { encoded: true });

    const text = await waitFor('the echo of the base64 text', async () => {
      const { receivedMessageItems } = await app.queue(app.names.EchoOutQueue).receiveMessages();
      return receivedMessageItems[0]?.messageText;
    });

    expect(JSON.parse(text)).toMatchObject({
      item: Buffer.from('{"encoded":true}').toString('base64'),
      type: 'string',
    });
  });
});
