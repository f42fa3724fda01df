import { containers, poisonQueues, queues, tables } from './names';
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
