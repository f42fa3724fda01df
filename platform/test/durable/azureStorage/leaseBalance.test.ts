import { decideLeaseBalance } from '../../../src/durable/backend/azureStorage/leases/leaseBalance';
import { PollBackoff } from '../../../src/durable/backend/azureStorage/messaging/backoff';

describe('lease balancing', () => {
  const views = (...owners: (string | undefined)[]) => owners.map((owner, partition) => ({ partition, owner }));

  it('takes every free lease when no other host is alive', () => {
    expect(decideLeaseBalance(views(undefined, undefined, undefined, undefined), 'a')).toEqual({
      acquire: [0, 1, 2, 3],
      steal: undefined,
    });
  });

  it('takes one lease over from a host holding more than its share', () => {
    expect(decideLeaseBalance(views('a', 'a', 'a', 'a'), 'b')).toEqual({ acquire: [], steal: 0 });
    expect(decideLeaseBalance(views('b', 'a', 'a', 'a'), 'b')).toEqual({ acquire: [], steal: 1 });
  });

  it('leaves a balanced hub alone', () => {
    expect(decideLeaseBalance(views('b', 'b', 'a', 'a'), 'b')).toEqual({ acquire: [], steal: undefined });
    expect(decideLeaseBalance(views('a', 'a', 'b', 'c'), 'c')).toEqual({ acquire: [], steal: undefined });
  });

  it('takes free leases only up to its fair share', () => {
    expect(decideLeaseBalance(views('a', undefined, undefined, undefined), 'b')).toEqual({
      acquire: [1, 2],
      steal: undefined,
    });
  });
});

describe('poll back-off', () => {
  it('starts at 50 ms, doubles up to the maximum and starts over after messages', () => {
    const backoff = new PollBackoff(1000, 50, () => 1);
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([
      50, 100, 200, 400, 800, 1000,
    ]);
    expect(backoff.next()).toBe(1000);
    backoff.reset();
    expect(backoff.next()).toBe(50);
  });
});
