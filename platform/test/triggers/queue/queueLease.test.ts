import type { EmbeddedAzurite } from '../../../src/storage/azurite';
import { startTestAzurite } from '../../helpers/testHost';
import { waitFor } from '../../helpers/waitFor';
import { logsOf, receiveJson, sendJson, startQueueApp, type QueueApp } from './queueTestApp';

describe('queue message lease and graceful shutdown', () => {
  let azurite: EmbeddedAzurite;

  beforeAll(async () => {
    azurite = await startTestAzurite();
  });

  afterAll(async () => {
    await azurite?.close();
  });

  describe('with a 2-second lease', () => {
    let app: QueueApp;

    beforeAll(async () => {
      const hostJson = { extensions: { queues: { localMessageLeaseSeconds: 2 } } };
      app = await startQueueApp(azurite, { hostJson, verbose: true });
    });

    afterAll(async () => {
      await app?.stop();
    });

    it('keeps a message invisible while its function runs longer than the lease, then deletes it', async () => {
      const queue = app.queue(app.names.SlowQueue);
      await sendJson(queue, { id: 'long', ms: 5_000 });

      const [result] = await receiveJson(app.queue(app.names.SlowOutQueue));

      expect(result).toEqual({ id: 'long', dequeueCount: 1 });
      expect(logsOf(app.logs, 'Executing function', 'slow')).toHaveLength(1);
      expect(logsOf(app.logs, 'Renewed message lease', 'slow').length).toBeGreaterThanOrEqual(2);
      await waitFor('the message to be deleted', async () => {
        return (await queue.getProperties()).approximateMessagesCount === 0;
      });
      expect(logsOf(app.logs, 'Executing function', 'slow')).toHaveLength(1);
    });
  });

  describe('on stop', () => {
    it('waits for an in-flight invocation and deletes its message instead of leaving it invisible', async () => {
      const app = await startQueueApp(azurite);
      const queue = app.queue(app.names.SlowQueue);
      await sendJson(queue, { id: 'in-flight', ms: 1_500 });
      await waitFor('the slow function to start', () => logsOf(app.logs, 'Executing function', 'slow').length > 0);

      await app.stop();

      expect(logsOf(app.logs, 'Executed function', 'slow')).toHaveLength(1);
      expect((await queue.getProperties()).approximateMessagesCount).toBe(0);
      const [result] = await receiveJson(app.queue(app.names.SlowOutQueue));
      expect(result).toEqual({ id: 'in-flight', dequeueCount: 1 });
    });
  });
});
