import { containers, poisonQueues, queues, tables } from '../../lib/names';
import { storageResources } from '../../lib/provisioning';

describe('provisioning', () => {
  it('creates every queue, poison queue, container and table named in lib/names.ts', () => {
    const resources = storageResources();

    expect(resources.queues).toEqual(
      expect.arrayContaining([...Object.values(queues), ...Object.values(poisonQueues)]),
    );
    expect(resources.containers).toEqual(Object.values(containers));
    expect(resources.tables).toEqual(Object.values(tables));
  });
});
