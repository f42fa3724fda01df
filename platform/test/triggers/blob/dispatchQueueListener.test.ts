import { randomBytes } from 'node:crypto';
import type { QueueClient } from '@azure/storage-queue';
import { VirtualClock } from '../../../src/clock/virtualClock';
import { createLogger, type LogRecord } from '../../../src/host/logger';
import type { EmbeddedAzurite } from '../../../src/storage/azurite';
import {
  DispatchQueueListener,
  type DispatchMessage,
  type DispatchResult,
} from '../../../src/triggers/blob/dispatchQueueListener';
import { startTestAzurite } from '../../helpers/testHost';
import { waitFor } from '../../helpers/waitFor';
import { storageClients } from './blobTestApp';

describe('DispatchQueueListener', () => {
  let azurite: EmbeddedAzurite;
  let queue: QueueClient;
  let listener: DispatchQueueListener | undefined;
  const logs: LogRecord[] = [];
  const clock = new VirtualClock();
  const seen: DispatchMessage[] = [];
  let answer: (result: DispatchResult) => void = () => undefined;

  beforeAll(async () => {
    azurite = await startTestAzurite();
    queue = storageClients(azurite).queues.getQueueClient(`dispatch-${randomBytes(4).toString('hex')}`);
    await queue.create();
  });

  afterEach(async () => {
    await listener?.dispose();
  });

  afterAll(async () => {
    await azurite.close();
  });

  function startListener(): void {
    listener = new DispatchQueueListener({
      queue,
      concurrency: 2,
      clock,
      logger: createLogger({ levels: { default: 'trace' }, sink: (record) => logs.push(record) }),
      handle: (message) => {
        seen.push(message);
        return new Promise((resolve) => (answer = resolve));
      },
    });
    listener.start();
  }

  it('keeps a long-running message hidden and deletes it with the renewed pop receipt', async () => {
    await queue.sendMessage('long');
    startListener();
    await waitFor('the message to be handled', () => seen.length === 1);

    await clock.advance(31_000);
    await waitFor('a visibility renewal', () =>
      logs.some((l) => l.message === 'Blob dispatch message visibility renewed'),
    );
    answer('complete');

    await waitFor(
      'the message to be deleted',
      async () => (await queue.getProperties()).approximateMessagesCount === 0,
    );
  });

  it('makes a released message visible again at once, so the next poll tries it again', async () => {
    seen.length = 0;
    await queue.sendMessage('retry me');
    startListener();
    await waitFor('the first try', () => seen.length === 1);

    answer('release');
    await waitFor('the second try at the next poll', async () => {
      await clock.advance(1_000);
      return seen.length === 2;
    });
    answer('complete');

    expect(seen.map((m) => [m.text, m.dequeueCount])).toEqual([
      ['retry me', 1],
      ['retry me', 2],
    ]);
  });
});
