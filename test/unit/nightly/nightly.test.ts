import { buildDailyReport } from '../../../lib/nightly/report';
import type { PartitionReport } from '../../../lib/nightly/partitionWork';
import { daysBefore, isDateKey, partitionOf, toDateKey } from '../../../lib/nightly/partitions';
import { batchDateOf } from '../../../lib/nightly/schedule';
import { retryDelaySeconds } from '../../../lib/orders/replyRetries';

function partition(index: number, extra: Partial<PartitionReport> = {}): PartitionReport {
  return {
    partition: index,
    releasedReservations: [],
    deletedOutboxDocuments: 0,
    checkedSkus: 1,
    checkedAccounts: 2,
    charges: { count: 1, totalCents: 100 },
    refunds: { count: 0, totalCents: 0 },
    issues: [],
    ...extra,
  };
}

describe('nightly partitions and dates', () => {
  it('puts every key in one stable partition', () => {
    const keys = Array.from({ length: 200 }, (_, index) => `order-${index}`);
    const partitions = keys.map((key) => partitionOf(key, 4));

    expect(partitions.every((value) => value >= 0 && value < 4)).toBe(true);
    expect(new Set(partitions).size).toBe(4);
    expect(keys.map((key) => partitionOf(key, 4))).toEqual(partitions);
  });

  it('recognises real calendar dates only', () => {
    expect(isDateKey('2026-02-28')).toBe(true);
    expect(isDateKey('2026-02-30')).toBe(false);
    expect(isDateKey('2026-2-3')).toBe(false);
  });

  it('computes the retention cutoff at midnight UTC', () => {
    expect(daysBefore('2026-03-10', 30)).toBe('2026-02-08T00:00:00.000Z');
    expect(toDateKey(new Date('2026-03-10T23:59:59Z'))).toBe('2026-03-10');
  });

  it('runs a timer for the occurrence being fired: the due one, or the missed one when past due', () => {
    const onTime = { last: '2026-03-09T02:00:00Z', next: '2026-03-10T02:00:00Z', lastUpdated: '' };
    const missed = { last: '2026-03-08T02:00:00Z', next: '2026-03-09T02:00:00Z', lastUpdated: '' };

    expect(batchDateOf({ isPastDue: false, scheduleStatus: onTime }, new Date('2026-03-10T02:00:00.2Z'))).toBe(
      '2026-03-10',
    );
    expect(batchDateOf({ isPastDue: true, scheduleStatus: missed }, new Date('2026-03-10T09:00:00Z'))).toBe(
      '2026-03-09',
    );
  });

  it('falls back to today when the schedule monitor is off', () => {
    const timer = { isPastDue: false, scheduleStatus: null } as unknown as Parameters<typeof batchDateOf>[0];

    expect(batchDateOf(timer, new Date('2026-03-10T02:00:00Z'))).toBe('2026-03-10');
  });

  it('rejects dates that do not exist', () => {
    expect(isDateKey('2026-13-01')).toBe(false);
  });
});

describe('buildDailyReport', () => {
  it('adds the partitions up and lists every issue', () => {
    const report = buildDailyReport(
      '2026-03-10',
      [partition(0, { releasedReservations: ['o-2'] }), partition(1, { issues: ["SKU 'x': negative"] })],
      7,
    );

    expect(report).toMatchObject({
      date: '2026-03-10',
      partitions: 2,
      releasedReservations: ['o-2'],
      purgedInstances: 7,
      checkedSkus: 2,
      checkedAccounts: 4,
      charges: { count: 2, totalCents: 200 },
      consistent: false,
      issues: ["SKU 'x': negative"],
    });
  });
});

describe('reply retry back-off', () => {
  it('doubles from 5 seconds up to 10 minutes', () => {
    expect([1, 2, 3, 8, 20].map(retryDelaySeconds)).toEqual([5, 10, 20, 600, 600]);
  });
});
