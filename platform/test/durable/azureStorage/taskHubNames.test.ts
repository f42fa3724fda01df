import { fnv1a32 } from '../../../src/durable/backend/azureStorage/fnv1a';
import { InvalidTaskHubNameError } from '../../../src/durable/backend/azureStorage/errors';
import {
  partitionIndexOf,
  taskHubNames,
  validateTaskHubName,
} from '../../../src/durable/backend/azureStorage/taskHubNames';
import { fromPartitionKey, toPartitionKey } from '../../../src/durable/backend/azureStorage/keySanitation';

describe('task hub names', () => {
  it('computes FNV-1a 32-bit over UTF-8 bytes like the provider', () => {
    // Published FNV-1a test vectors.
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    // Non-ASCII characters hash their UTF-8 bytes, not UTF-16 code units.
    expect(fnv1a32('é')).toBe(0x1e9de8c1);
  });

  it('maps an instance id to a partition by hash modulo the partition count', () => {
    const id = 'order-42';
    expect(fnv1a32(id)).toBe(0x572446f4);
    expect(partitionIndexOf(id, 4)).toBe(0);
    expect(partitionIndexOf(id, 1)).toBe(0);
  });

  it('names tables, queues and containers as the Azure Storage provider does', () => {
    const names = taskHubNames('MyHub', 3);
    expect(names).toEqual({
      taskHubName: 'MyHub',
      historyTable: 'MyHubHistory',
      instancesTable: 'MyHubInstances',
      workItemQueue: 'myhub-workitems',
      leaseContainer: 'myhub-leases',
      largeMessageContainer: 'myhub-largemessages',
      controlQueues: ['myhub-control-00', 'myhub-control-01', 'myhub-control-02'],
    });
  });

  it.each([
    ['ab', 'it has 2 characters'],
    ['1hub', 'it does not start with a letter'],
    ['my-hub', "it contains '-' at position 2"],
    ['x'.repeat(46), 'it has 46 characters'],
  ])('rejects the hub name %s because %s', (name, reason) => {
    expect(() => validateTaskHubName(name)).toThrow(InvalidTaskHubNameError);
    expect(() => validateTaskHubName(name)).toThrow(reason);
  });

  it('rejects partition counts outside 1 to 16', () => {
    expect(() => taskHubNames('MyHub', 0)).toThrow('partitionCount must be an integer from 1 to 16; got 0.');
    expect(() => taskHubNames('MyHub', 17)).toThrow(RangeError);
  });

  it('escapes characters table keys cannot hold and reverses the escape', () => {
    const id = 'a/b\\c#d?e^f\u0001g';
    const key = toPartitionKey(id);
    expect(key).toBe('a^0b^1c^2d^3e^^f^\u00c1g');
    expect(fromPartitionKey(key)).toBe(id);
  });
});
