import { QueueServiceClient } from '@azure/storage-queue';
import { VirtualClock } from '../../../src/clock/virtualClock';
import type { EmbeddedAzurite } from '../../../src/storage/azurite';
import { startTestAzurite } from '../../helpers/testHost';
import { waitFor } from '../../helpers/waitFor';
import { receiveJson, sendJson, startQueueApp, uniqueQueueAppNames, type QueueApp } from './queueTestApp';

describe('queue listener wake-up', () => {
  let azurite: EmbeddedAzurite;
  let app: QueueApp | undefined;

  beforeAll(async () => {
    azurite = await startTestAzurite();
  });

  afterAll(async () => {
    await app?.stop();
    await azurite?.close();
  });

  it('polls at once when an output binding of the same host adds to the watched queue, cutting its back-off short', async () => {
    // With a clock that never moves, a listener in back-off can only poll again when something wakes it.
    const clock = new VirtualClock();
    const names = uniqueQueueAppNames();
    const queues = QueueServiceClient.fromConnectionString(azurite.connectionString, { retryOptions: { maxTries: 1 } });
    await queues.getQueueClient(names.RelayQueue).createIfNotExists();
    await sendJson(queues.getQueueClient(names.RelayQueue), { step: 'wake' });
    const startedAt = clock.now();

    app = await startQueueApp(azurite, { clock, names });
    const [ended] = await receiveJson(app.queue(names.RelayOutQueue));

    expect(ended).toEqual({ step: 'wake', relayed: true, ended: true });
    expect(clock.now()).toBe(startedAt);
  });

  it('picks up a message sent from outside at once when the embedded emulator reports its arrival', async () => {
    // The clock never moves, so listeners that found their queues empty sleep until something wakes them.
    const clock = new VirtualClock();
    const names = uniqueQueueAppNames();
    await app?.stop();
    app = await startQueueApp(azurite, { clock, names, emulatorEvents: azurite.events });
    const queueFunctions = app.host.functions.filter((fn) => fn.trigger.type === 'queueTrigger').length;
    await waitFor('every queue listener to back off', () => clock.pendingTimers >= queueFunctions);

    await sendJson(app.queue(names.EchoQueue), { arrived: 'from outside' });
    const [echoed] = await receiveJson<{ item: unknown }>(app.queue(names.EchoOutQueue));

    expect(echoed?.item).toEqual({ arrived: 'from outside' });
  });
});
