import {
  fromContinuationToken,
  pageJobs,
  parseJobQuery,
  toContinuationToken,
  type JobView,
} from '../../../lib/jobs/listing';

function job(instanceId: string, createdTime: string): JobView {
  return {
    instanceId,
    name: 'processOrder',
    runtimeStatus: 'Completed',
    customStatus: null,
    output: null,
    createdTime,
    lastUpdatedTime: createdTime,
  };
}

const jobs = [
  job('order-b', '2026-01-01T00:00:02.000Z'),
  job('nightly-2026-01-01', '2026-01-01T00:00:01.000Z'),
  job('order-a', '2026-01-01T00:00:02.000Z'),
  job('order-c', '2026-01-01T00:00:03.000Z'),
];

describe('parseJobQuery', () => {
  it('reads statuses case-insensitively, times, prefix and page size', () => {
    const parsed = parseJobQuery(
      new URLSearchParams('status=running,completed&createdFrom=2026-01-01T00:00:00Z&prefix=order-&top=2'),
    );

    expect(parsed).toEqual({
      ok: true,
      query: {
        statuses: ['Running', 'Completed'],
        createdFrom: new Date('2026-01-01T00:00:00Z'),
        prefix: 'order-',
        top: 2,
      },
    });
  });

  it('names the bad parameter, what it expected and what arrived', () => {
    expect(parseJobQuery(new URLSearchParams('status=sleeping'))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^expected 'status' as a comma-separated list of .*received 'sleeping'$/) as string,
    });
    expect(parseJobQuery(new URLSearchParams('top=0'))).toEqual({
      ok: false,
      reason: "expected 'top' as an integer from 1 to 500, received '0'",
    });
    expect(parseJobQuery(new URLSearchParams('continuationToken=zzz'))).toEqual({
      ok: false,
      reason: "expected 'continuationToken' as returned by a previous page, received 'zzz'",
    });
  });
});

describe('pageJobs', () => {
  it('filters by prefix and pages in creation order with a continuation token until the end', () => {
    const first = pageJobs(jobs, { prefix: 'order-', top: 2 });
    const second = pageJobs(jobs, {
      prefix: 'order-',
      top: 2,
      after: fromContinuationToken(first.continuationToken ?? ''),
    });

    expect(first.jobs.map((entry) => entry.instanceId)).toEqual(['order-a', 'order-b']);
    expect(second.jobs.map((entry) => entry.instanceId)).toEqual(['order-c']);
    expect(second.continuationToken).toBeUndefined();
  });

  it('round-trips a continuation token', () => {
    const position = { createdTime: '2026-01-01T00:00:02.000Z', instanceId: 'order-a' };

    expect(fromContinuationToken(toContinuationToken(position))).toEqual(position);
  });
});
