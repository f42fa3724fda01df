import type { InstancePage, InstanceQuery, InstanceState } from '../types';

/** True when an instance row passes a query's filters (time range, statuses, id prefix, entity or not). */
export function matchesQuery(instance: InstanceState, query: InstanceQuery): boolean {
  const isEntity = instance.instanceId.startsWith('@');
  if (query.entities === undefined ? isEntity : query.entities !== isEntity) {
    return false;
  }
  if (query.createdTimeFrom && instance.createdTime < query.createdTimeFrom) {
    return false;
  }
  if (query.createdTimeTo && instance.createdTime > query.createdTimeTo) {
    return false;
  }
  if (query.runtimeStatus && query.runtimeStatus.length > 0 && !query.runtimeStatus.includes(instance.runtimeStatus)) {
    return false;
  }
  return !query.instanceIdPrefix || instance.instanceId.startsWith(query.instanceIdPrefix);
}

/** Cuts one page from rows sorted by instance id; the token is the offset of the next page. */
export function pageOf(rows: InstanceState[], query: InstanceQuery): InstancePage {
  const start = query.continuationToken ? Number.parseInt(query.continuationToken, 10) || 0 : 0;
  const top = query.top ?? 100;
  const instances = rows.slice(start, start + top);
  const next = start + top;
  return next < rows.length ? { instances, continuationToken: String(next) } : { instances };
}
