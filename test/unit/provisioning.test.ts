import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fromEmulatorConfig } from '../../platform/src/servicebus/config/configFile';
import { containers, poisonQueues, queues, serviceBusQueues, tables } from '../../lib/names';
import { serviceBusEmulatorConfig, storageResources } from '../../lib/provisioning';

describe('provisioning', () => {
  it('creates every queue, poison queue, container and table named in lib/names.ts', () => {
    const resources = storageResources();

    expect(resources.queues).toEqual(
      expect.arrayContaining([...Object.values(queues), ...Object.values(poisonQueues)]),
    );
    expect(resources.containers).toEqual(Object.values(containers));
    expect(resources.tables).toEqual(Object.values(tables));
  });

  it('declares the reply queues for the Service Bus emulator, one with sessions and one without', () => {
    const loaded = fromEmulatorConfig(serviceBusEmulatorConfig(), 'serviceBusEmulatorConfig()');
    const byName = new Map(loaded.namespace.queues.map((queue) => [queue.name, queue.settings]));

    expect(byName.get(serviceBusQueues.replies)?.requiresSession).toBe(false);
    expect(byName.get(serviceBusQueues.sessionReplies)?.requiresSession).toBe(true);
    expect(byName.get(serviceBusQueues.replies)?.requiresDuplicateDetection).toBe(true);
    expect(loaded.warnings).toEqual([]);
  });
});

describe('servicebus-config.json', () => {
  it('is what lib/provisioning.ts declares, so the local broker serves the entities the app uses', () => {
    // The file sits at the repository root, where the local platform CLI looks for it.
    const file = JSON.parse(readFileSync(path.resolve(__dirname, '../../servicebus-config.json'), 'utf8')) as unknown;

    expect(file).toEqual(serviceBusEmulatorConfig());
  });
});
