import { app, type HttpRequest, type HttpResponseInit, type InvocationContext, type Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { readConfig } from '../lib/config';
import { jsonError } from '../lib/http';
import { restartableStatuses, startIfAbsent } from '../lib/jobs/instances';
import { loggerFor } from '../lib/log';
import { functionNames, instanceIds, settings } from '../lib/names';
import { isDateKey, toDateKey } from '../lib/nightly/partitions';
import { batchDateOf } from '../lib/nightly/schedule';
import type { NightlyInput } from '../orchestrators/nightlyBatch';

function nightlyInput(date: string): NightlyInput {
  const config = readConfig();
  return { date, partitions: config.nightlyPartitions, retentionDays: config.retentionDays };
}

/** Timer on NIGHTLY_SCHEDULE: starts `nightly-<date>` unless that date's batch runs or ran already. */
export async function nightlyTimer(timer: Timer, context: InvocationContext): Promise<void> {
  const date = batchDateOf(timer, new Date());
  const instanceId = instanceIds.nightly(date);
  const outcome = await startIfAbsent(
    df.getClient(context),
    functionNames.nightlyBatch,
    instanceId,
    nightlyInput(date),
    restartableStatuses,
  );
  const logger = loggerFor(context);
  if (outcome.started) {
    logger.info('Nightly batch started', { instanceId, isPastDue: timer.isPastDue });
  } else {
    logger.info('Nightly batch skipped: already exists', { instanceId, runtimeStatus: outcome.existing.runtimeStatus });
  }
}

/** `POST /api/batches/nightly[?date=YYYY-MM-DD]`: the same start for an external scheduler; 409 when it exists. */
export async function startNightly(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const date = request.query.get('date') ?? toDateKey(new Date());
  if (!isDateKey(date)) {
    return jsonError(400, 'InvalidDate', `expected query parameter 'date' as YYYY-MM-DD, received '${date}'`);
  }
  const instanceId = instanceIds.nightly(date);
  const client = df.getClient(context);
  const outcome = await startIfAbsent(
    client,
    functionNames.nightlyBatch,
    instanceId,
    nightlyInput(date),
    restartableStatuses,
  );
  const statusUrl = new URL(`/api/jobs/${instanceId}`, request.url).toString();
  if (!outcome.started) {
    return jsonError(
      409,
      'BatchExists',
      `expected no batch for ${date}, found one that is ${outcome.existing.runtimeStatus}`,
      {
        instanceId,
        statusUrl,
      },
    );
  }
  loggerFor(context).info('Nightly batch started on demand', { instanceId });
  return { status: 202, headers: { location: statusUrl }, jsonBody: { instanceId, date, statusUrl } };
}

app.timer('nightlyTimer', {
  schedule: `%${settings.nightlySchedule}%`,
  extraInputs: [df.input.durableClient()],
  handler: nightlyTimer,
});

app.http('startNightly', {
  methods: ['POST'],
  authLevel: 'function',
  route: 'batches/nightly',
  extraInputs: [df.input.durableClient()],
  handler: startNightly,
});
