import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { containers, functionNames } from '../lib/names';
import type { PartitionReport } from '../lib/nightly/partitionWork';
import { buildDailyReport, type DailyReport } from '../lib/nightly/report';
import { getStorage } from '../lib/storage';

/** Writes `reports/<date>.json`; the content depends only on the input, so a retry writes the same report. */
export async function writeReport(
  input: { date: string; partitions: PartitionReport[]; purgedInstances: number },
  _context: InvocationContext,
): Promise<{ blobName: string; report: DailyReport }> {
  const report = buildDailyReport(input.date, input.partitions, input.purgedInstances);
  const blobName = `${input.date}.json`;
  const text = JSON.stringify(report, null, 2);
  await getStorage()
    .container(containers.reports)
    .getBlockBlobClient(blobName)
    .upload(text, Buffer.byteLength(text), { blobHTTPHeaders: { blobContentType: 'application/json' } });
  return { blobName, report };
}

df.app.activity(functionNames.writeReport, { handler: writeReport });
