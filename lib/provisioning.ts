import { defaults } from './config';
import { containers, poisonQueues, queues, serviceBusQueues, tables } from './names';
import type { Storage } from './storage';

/** Every storage resource the app needs before its first message, from lib/names.ts. */
export function storageResources(): { queues: string[]; containers: string[]; tables: string[] } {
  return {
    queues: [...Object.values(queues), ...Object.values(poisonQueues)],
    containers: Object.values(containers),
    tables: Object.values(tables),
  };
}

/** Creates the app's queues, containers and tables when missing; safe to run on every start. */
export async function provisionStorage(storage: Storage): Promise<void> {
  const resources = storageResources();
  await Promise.all([
    ...resources.queues.map((name) => storage.queue(name).createIfNotExists()),
    ...resources.containers.map((name) => storage.container(name).createIfNotExists()),
    ...resources.tables.map((name) => storage.table(name).createTable()),
  ]);
}

/**
 * The Service Bus emulator's Config.json for the app: the plain reply queue, the session reply queue and the queue
 * confirmations go to when CONFIRMATION_SENDER=serviceBus. Duplicate detection drops a re-sent reply (same message id).
 */
export function serviceBusEmulatorConfig(): object {
  const replyProperties = {
    RequiresDuplicateDetection: true,
    DuplicateDetectionHistoryTimeWindow: 'PT5M',
    DefaultMessageTimeToLive: 'PT1H',
    LockDuration: 'PT1M',
    MaxDeliveryCount: 10,
  };
  return {
    UserConfig: {
      Namespaces: [
        {
          Name: 'sbemulatorns',
          Queues: [
            { Name: serviceBusQueues.replies, Properties: { ...replyProperties, RequiresSession: false } },
            { Name: serviceBusQueues.sessionReplies, Properties: { ...replyProperties, RequiresSession: true } },
            { Name: defaults.confirmationQueue, Properties: { ...replyProperties, RequiresSession: false } },
          ],
          Topics: [],
        },
      ],
      Logging: { Type: 'Console' },
    },
  };
}
