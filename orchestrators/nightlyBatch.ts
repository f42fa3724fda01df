import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import type { DailyReport } from '../lib/nightly/report';
import type { PartitionReport } from '../lib/nightly/partitionWork';
import { daysBefore } from '../lib/nightly/partitions';
import { stepRetry } from '../lib/orchestration/retryPolicies';
import { functionNames } from '../lib/names';

/** Input of the nightly batch; the starter reads the settings so the orchestration replays the same values. */
export interface NightlyInput {
  date: string;
  partitions: number;
  retentionDays: number;
}

/**
 * The nightly batch for one date (instance id `nightly-<date>`): fans out over partitions (retention, expired
 * reservations, consistency checks, daily totals), purges old orchestration history, then writes the daily report.
 */
export const nightlyBatch: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<NightlyInput>();
  const now = context.df.currentUtcDateTime.toISOString();
  const retainAfter = daysBefore(input.date, input.retentionDays);

  context.df.setCustomStatus({ step: 'partitions', partitions: input.partitions });
  const tasks = Array.from({ length: input.partitions }, (_, partition) =>
    context.df.callActivityWithRetry(functionNames.nightlyPartition, stepRetry(), {
      date: input.date,
      partition,
      of: input.partitions,
      now,
      retainAfter,
    }),
  );
  const partitions = (yield context.df.Task.all(tasks)) as PartitionReport[];

  context.df.setCustomStatus({ step: 'purgeHistory' });
  const purge = (yield context.df.callActivityWithRetry(functionNames.purgeHistory, stepRetry(), {
    createdBefore: retainAfter,
  })) as { purged: number };

  context.df.setCustomStatus({ step: 'writeReport' });
  const written = (yield context.df.callActivityWithRetry(functionNames.writeReport, stepRetry(), {
    date: input.date,
    partitions,
    purgedInstances: purge.purged,
  })) as { blobName: string; report: DailyReport };

  context.df.setCustomStatus({ step: 'done' });
  return { reportBlob: `reports/${written.blobName}`, ...written.report };
};

df.app.orchestration(functionNames.nightlyBatch, nightlyBatch);
