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
