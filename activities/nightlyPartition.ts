import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { functionNames } from '../lib/names';
import { runPartition, type PartitionInput, type PartitionReport } from '../lib/nightly/partitionWork';
import { getStorage } from '../lib/storage';

/** One partition of the nightly batch: retention, expired reservations, consistency checks, daily totals. */
export async function nightlyPartition(input: PartitionInput, _context: InvocationContext): Promise<PartitionReport> {
  return runPartition(getStorage(), input);
}

df.app.activity(functionNames.nightlyPartition, { handler: nightlyPartition });
