import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { functionNames } from '../lib/names';

/** Deletes the history of order orchestrations that finished and were created before the cutoff. */
export async function purgeHistory(
  input: { createdBefore: string },
  context: InvocationContext,
): Promise<{ purged: number }> {
  const client = df.getClient(context);
  const result = await client.purgeInstanceHistoryBy({
    createdTimeFrom: new Date(0),
    createdTimeTo: new Date(input.createdBefore),
    runtimeStatus: [
      df.OrchestrationRuntimeStatus.Completed,
      df.OrchestrationRuntimeStatus.Failed,
      df.OrchestrationRuntimeStatus.Terminated,
    ],
  });
  return { purged: result.instancesDeleted };
}

df.app.activity(functionNames.purgeHistory, { handler: purgeHistory, extraInputs: [df.input.durableClient()] });
