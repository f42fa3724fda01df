import type { PartitionReport } from './partitionWork';

/** The daily report written to `reports/<date>.json`. */
export interface DailyReport {
  date: string;
  partitions: number;
  releasedReservations: string[];
  deletedOutboxDocuments: number;
  purgedInstances: number;
  checkedSkus: number;
  checkedAccounts: number;
  charges: { count: number; totalCents: number };
  refunds: { count: number; totalCents: number };
  consistent: boolean;
  issues: string[];
}

/** Adds the partitions' findings up into the day's report. */
export function buildDailyReport(date: string, partitions: PartitionReport[], purgedInstances: number): DailyReport {
  const sum = (pick: (report: PartitionReport) => { count: number; totalCents: number }) => ({
    count: partitions.reduce((total, report) => total + pick(report).count, 0),
    totalCents: partitions.reduce((total, report) => total + pick(report).totalCents, 0),
  });
  const issues = partitions.flatMap((report) => report.issues);
  return {
    date,
    partitions: partitions.length,
    releasedReservations: partitions.flatMap((report) => report.releasedReservations).sort(),
    deletedOutboxDocuments: partitions.reduce((total, report) => total + report.deletedOutboxDocuments, 0),
    purgedInstances,
    checkedSkus: partitions.reduce((total, report) => total + report.checkedSkus, 0),
    checkedAccounts: partitions.reduce((total, report) => total + report.checkedAccounts, 0),
    charges: sum((report) => report.charges),
    refunds: sum((report) => report.refunds),
    consistent: issues.length === 0,
    issues,
  };
}
