import * as df from 'durable-functions';
import type { DurableOrchestrationStatus } from 'durable-functions';

/** Filters and paging of `GET /api/jobs`. */
export interface JobQuery {
  statuses?: df.OrchestrationRuntimeStatus[];
  createdFrom?: Date;
  createdTo?: Date;
  prefix?: string;
  top: number;
  after?: { createdTime: string; instanceId: string };
}

/** A job as the status API shows it. */
export interface JobView {
  instanceId: string;
  name: string;
  runtimeStatus: string;
  customStatus: unknown;
  output: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  input?: unknown;
  history?: unknown;
}

const knownStatuses = Object.values(df.OrchestrationRuntimeStatus) as string[];

/** Parses the query string of `GET /api/jobs`, or says what was expected for the first bad parameter. */
export function parseJobQuery(query: URLSearchParams): { ok: true; query: JobQuery } | { ok: false; reason: string } {
  const result: JobQuery = { top: 50 };
  const status = query.get('status');
  if (status) {
    const statuses = status
      .split(',')
      .map((part) => knownStatuses.find((known) => known.toLowerCase() === part.trim().toLowerCase()));
    if (statuses.some((entry) => entry === undefined)) {
      return {
        ok: false,
        reason: `expected 'status' as a comma-separated list of ${knownStatuses.join(', ')}, received '${status}'`,
      };
    }
    result.statuses = statuses as df.OrchestrationRuntimeStatus[];
  }
  for (const [name, key] of [
    ['createdFrom', 'createdFrom'],
    ['createdTo', 'createdTo'],
  ] as const) {
    const text = query.get(name);
    if (text) {
      const date = new Date(text);
      if (Number.isNaN(date.getTime())) {
        return { ok: false, reason: `expected '${name}' as an ISO 8601 date-time, received '${text}'` };
      }
      result[key] = date;
    }
  }
  const prefix = query.get('prefix');
  if (prefix) {
    result.prefix = prefix;
  }
  const top = query.get('top');
  if (top) {
    const value = Number(top);
    if (!Number.isInteger(value) || value < 1 || value > 500) {
      return { ok: false, reason: `expected 'top' as an integer from 1 to 500, received '${top}'` };
    }
    result.top = value;
  }
  const token = query.get('continuationToken');
  if (token) {
    const after = fromContinuationToken(token);
    if (after === undefined) {
      return { ok: false, reason: `expected 'continuationToken' as returned by a previous page, received '${token}'` };
    }
    result.after = after;
  }
  return { ok: true, query: result };
}

/** Encodes the position after the last job of a page. */
export function toContinuationToken(last: { createdTime: string; instanceId: string }): string {
  return Buffer.from(JSON.stringify([last.createdTime, last.instanceId])).toString('base64url');
}

/** Decodes a continuation token, or undefined when it is not one. */
export function fromContinuationToken(token: string): { createdTime: string; instanceId: string } | undefined {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string')) {
      return { createdTime: value[0] as string, instanceId: value[1] as string };
    }
  } catch {
    // Falls through: not a token of ours.
  }
  return undefined;
}

/**
 * One page of jobs, ordered by creation time then instance id. The durable-functions 3.x client pages through the
 * task hub itself and exposes no continuation token (Azure/azure-functions-durable-js#319), so the API pages here.
 */
export function pageJobs(all: JobView[], query: JobQuery): { jobs: JobView[]; continuationToken?: string } {
  const sorted = all
    .filter((job) => query.prefix === undefined || job.instanceId.startsWith(query.prefix))
    .sort((a, b) => compare(a, b));
  const after = query.after;
  const start = after === undefined ? 0 : sorted.findIndex((job) => compare(job, after) > 0);
  const rest = start < 0 ? [] : sorted.slice(start);
  const jobs = rest.slice(0, query.top);
  const last = jobs[jobs.length - 1];
  return rest.length > query.top && last !== undefined
    ? { jobs, continuationToken: toContinuationToken(last) }
    : { jobs };
}

function compare(
  a: { createdTime: string; instanceId: string },
  b: { createdTime: string; instanceId: string },
): number {
  return a.createdTime === b.createdTime
    ? a.instanceId.localeCompare(b.instanceId)
    : a.createdTime.localeCompare(b.createdTime);
}

/** Translates the SDK's status into the API's view. */
export function toJobView(
  status: DurableOrchestrationStatus,
  extra: { input?: boolean; history?: unknown } = {},
): JobView {
  return {
    instanceId: status.instanceId,
    name: status.name,
    runtimeStatus: status.runtimeStatus,
    customStatus: status.customStatus ?? null,
    output: status.output ?? null,
    createdTime: new Date(status.createdTime).toISOString(),
    lastUpdatedTime: new Date(status.lastUpdatedTime).toISOString(),
    ...(extra.input ? { input: status.input } : {}),
    ...(extra.history === undefined ? {} : { history: extra.history }),
  };
}
