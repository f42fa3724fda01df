import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { jsonError } from '../lib/http';
import { readHistory } from '../lib/jobs/history';
import { getStatusOrUndefined } from '../lib/jobs/instances';
import { pageJobs, parseJobQuery, toJobView } from '../lib/jobs/listing';
import { loggerFor } from '../lib/log';

const finished: string[] = [
  df.OrchestrationRuntimeStatus.Completed,
  df.OrchestrationRuntimeStatus.Failed,
  df.OrchestrationRuntimeStatus.Terminated,
];

function notFound(instanceId: string): HttpResponseInit {
  return jsonError(404, 'JobNotFound', `expected a job with instance id '${instanceId}', found none`, { instanceId });
}

/** `GET /api/jobs/{instanceId}[?history=true&input=true]`: status, customStatus, output and times. */
export async function getJob(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const instanceId = request.params.instanceId ?? '';
  const client = df.getClient(context);
  const status = await getStatusOrUndefined(client, instanceId, { showInput: request.query.get('input') === 'true' });
  if (status === undefined) {
    return notFound(instanceId);
  }
  const history =
    request.query.get('history') === 'true'
      ? ((await readHistory(client, instanceId, request.url)) ?? null)
      : undefined;
  return { status: 200, jsonBody: toJobView(status, { input: request.query.get('input') === 'true', history }) };
}

/** `GET /api/jobs?status=&createdFrom=&createdTo=&prefix=&top=&continuationToken=`: one page of jobs. */
export async function listJobs(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const parsed = parseJobQuery(request.query);
  if (!parsed.ok) {
    return jsonError(400, 'InvalidQuery', parsed.reason);
  }
  const { query } = parsed;
  const statuses = await df.getClient(context).getStatusBy({
    ...(query.createdFrom ? { createdTimeFrom: query.createdFrom } : {}),
    ...(query.createdTo ? { createdTimeTo: query.createdTo } : {}),
    ...(query.statuses ? { runtimeStatus: query.statuses } : {}),
  });
  const page = pageJobs(
    statuses.map((status) => toJobView(status)),
    query,
  );
  return {
    status: 200,
    headers: page.continuationToken ? { 'x-ms-continuation-token': page.continuationToken } : {},
    jsonBody: page,
  };
}

/** `POST /api/jobs/{instanceId}/terminate[?reason=]`: 202, 404 unknown, 409 already finished. */
export async function terminateJob(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const instanceId = request.params.instanceId ?? '';
  const client = df.getClient(context);
  const status = await getStatusOrUndefined(client, instanceId);
  if (status === undefined) {
    return notFound(instanceId);
  }
  if (finished.includes(status.runtimeStatus)) {
    return jsonError(409, 'JobFinished', `expected a running job, '${instanceId}' is ${status.runtimeStatus}`, {
      instanceId,
    });
  }
  const reason = request.query.get('reason') ?? 'terminated through the job status API';
  await client.terminate(instanceId, reason);
  loggerFor(context).info('Job terminated', { instanceId });
  return { status: 202, jsonBody: { instanceId, terminated: true, reason } };
}

/** `POST /api/jobs/{instanceId}/events/{name}`: raises an external event with the JSON body as data. */
export async function raiseJobEvent(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const instanceId = request.params.instanceId ?? '';
  const name = request.params.name ?? '';
  const text = await request.text();
  let data: unknown = null;
  if (text.length > 0) {
    try {
      data = JSON.parse(text);
    } catch (error) {
      return jsonError(
        400,
        'InvalidJson',
        `expected a JSON body or none, received '${text.slice(0, 60)}' (${(error as Error).message})`,
      );
    }
  }
  const client = df.getClient(context);
  const status = await getStatusOrUndefined(client, instanceId);
  if (status === undefined) {
    return notFound(instanceId);
  }
  if (finished.includes(status.runtimeStatus)) {
    return jsonError(410, 'JobFinished', `expected a running job, '${instanceId}' is ${status.runtimeStatus}`, {
      instanceId,
    });
  }
  await client.raiseEvent(instanceId, name, data);
  return { status: 202, jsonBody: { instanceId, event: name } };
}

/** `DELETE /api/jobs/{instanceId}`: purges a finished job's history; 409 while it runs. */
export async function purgeJob(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const instanceId = request.params.instanceId ?? '';
  const client = df.getClient(context);
  const status = await getStatusOrUndefined(client, instanceId);
  if (status === undefined) {
    return notFound(instanceId);
  }
  if (!finished.includes(status.runtimeStatus)) {
    return jsonError(409, 'JobRunning', `expected a finished job, '${instanceId}' is ${status.runtimeStatus}`, {
      instanceId,
    });
  }
  const result = await client.purgeInstanceHistory(instanceId);
  return { status: 200, jsonBody: { instanceId, instancesDeleted: result.instancesDeleted } };
}

const client = [df.input.durableClient()];

app.http('getJob', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'jobs/{instanceId}',
  extraInputs: client,
  handler: getJob,
});
app.http('listJobs', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'jobs',
  extraInputs: client,
  handler: listJobs,
});
app.http('terminateJob', {
  methods: ['POST'],
  authLevel: 'function',
  route: 'jobs/{instanceId}/terminate',
  extraInputs: client,
  handler: terminateJob,
});
app.http('raiseJobEvent', {
  methods: ['POST'],
  authLevel: 'function',
  route: 'jobs/{instanceId}/events/{name}',
  extraInputs: client,
  handler: raiseJobEvent,
});
app.http('purgeJob', {
  methods: ['DELETE'],
  authLevel: 'function',
  route: 'jobs/{instanceId}',
  extraInputs: client,
  handler: purgeJob,
});
