import { odata, type TableClient } from '@azure/data-tables';
import type { InstancePage, InstanceQuery, InstanceState, PurgeFilter } from '../../types';
import type { TableRow } from '../historyEntity';
import { fromInstanceEntity, toInstanceEntity } from '../instanceEntity';
import { fromPartitionKey, toPartitionKey } from '../keySanitation';
import { toInstancePropertyBlobName, type LargePayloadStore } from '../largePayloads';
import { failedWith } from '../storageErrors';
import { LruCache } from './lruCache';

interface WrittenInstance {
  state: InstanceState;
  writtenAt: number;
}

/**
 * Checkpoints that change nothing but `lastUpdatedTime` are not written again within this window: a Sequence5
 * orchestration would otherwise write its unchanged Running row five times. The row's `LastUpdatedTime` may lag
 * the last episode by up to this much (the provider writes it every episode).
 */
const unchangedRowWriteWindowMs = 1_000;

/**
 * The `<Hub>Instances` table: one row per instance or entity, backing status and query APIs. Written without an
 * ETag, as the provider does, so it is eventually consistent with the history.
 */
export class InstanceStore {
  readonly #known = new LruCache<WrittenInstance>(4096);

  constructor(
    private readonly table: TableClient,
    private readonly payloads: LargePayloadStore,
    private readonly taskHubName: string,
    private readonly now: () => number,
  ) {}

  /** Replaces the instance's row (large properties go to blobs), unless only `lastUpdatedTime` moved just now. */
  async upsert(state: InstanceState): Promise<void> {
    const known = this.#known.get(state.instanceId);
    const now = this.now();
    if (known && now - known.writtenAt < unchangedRowWriteWindowMs && sameExceptUpdateTime(known.state, state)) {
      return;
    }
    const row = toInstanceEntity(state, this.taskHubName);
    await this.payloads.offloadProperties(row, toInstancePropertyBlobName);
    await this.table.upsertEntity(row, 'Replace');
    this.#known.set(state.instanceId, { state: { ...state }, writtenAt: now });
  }

  /** The row as this host last wrote or read it, without a storage call; undefined when unknown. */
  cached(instanceId: string): InstanceState | undefined {
    const known = this.#known.get(instanceId);
    return known ? { ...known.state } : undefined;
  }

  /** Forgets what this host knows of instance rows (another process may have written them). */
  forget(instanceId?: string): void {
    if (instanceId === undefined) {
      this.#known.clear();
    } else {
      this.#known.delete(instanceId);
    }
  }

  /** The instance's row, or undefined. */
  async get(instanceId: string): Promise<InstanceState | undefined> {
    try {
      const row = (await this.table.getEntity(toPartitionKey(instanceId), '')) as unknown as TableRow;
      await this.payloads.restoreProperties(row);
      const state = fromInstanceEntity(row);
      this.#known.set(instanceId, { state: { ...state }, writtenAt: 0 });
      return state;
    } catch (error) {
      if (failedWith(error, 404)) {
        this.#known.delete(instanceId);
        return undefined;
      }
      throw error;
    }
  }

  /** One page of rows matching the query, in partition-key order. */
  async query(query: InstanceQuery): Promise<InstancePage> {
    const filter = toODataFilter(query);
    const pages = this.table
      .listEntities({ queryOptions: filter ? { filter } : {} })
      .byPage({ maxPageSize: query.top ?? 100, continuationToken: query.continuationToken });
    const page = await pages.next();
    if (page.done) {
      return { instances: [] };
    }
    const rows = page.value as unknown as TableRow[];
    await Promise.all(rows.map((row) => this.payloads.restoreProperties(row)));
    const instances = rows
      .map(fromInstanceEntity)
      .filter((state) =>
        query.entities === true ? state.instanceId.startsWith('@') : !state.instanceId.startsWith('@'),
      )
      .filter((state) => !query.instanceIdPrefix || state.instanceId.startsWith(query.instanceIdPrefix));
    const token = (page.value as { continuationToken?: string }).continuationToken;
    return token ? { instances, continuationToken: token } : { instances };
  }

  /** Every instance and entity id matching a purge filter. */
  async idsMatching(filter: PurgeFilter): Promise<string[]> {
    const ids: string[] = [];
    const odataFilter = toODataFilter(filter);
    const select = ['PartitionKey'];
    for await (const row of this.table.listEntities({ queryOptions: { filter: odataFilter, select } })) {
      ids.push(fromPartitionKey(row.partitionKey ?? ''));
    }
    return ids;
  }

  /** Deletes the row and its offloaded properties; false when it did not exist. */
  async delete(instanceId: string): Promise<boolean> {
    const partitionKey = toPartitionKey(instanceId);
    this.#known.delete(instanceId);
    await this.payloads.deletePrefix(`${partitionKey}/instance-`);
    try {
      await this.table.deleteEntity(partitionKey, '');
      return true;
    } catch (error) {
      if (failedWith(error, 404)) {
        return false;
      }
      throw error;
    }
  }
}

/** The OData filter of an instance query; prefix and entity selection narrow the key range. */
export function toODataFilter(query: InstanceQuery & { createdTimeTo?: string }): string | undefined {
  const clauses: string[] = [];
  if (query.createdTimeFrom) {
    clauses.push(odata`CreatedTime ge ${new Date(query.createdTimeFrom)}`);
  }
  if (query.createdTimeTo) {
    clauses.push(odata`CreatedTime le ${new Date(query.createdTimeTo)}`);
  }
  if (query.runtimeStatus && query.runtimeStatus.length > 0) {
    clauses.push(`(${query.runtimeStatus.map((status) => odata`RuntimeStatus eq ${status}`).join(' or ')})`);
  }
  const prefix = query.instanceIdPrefix ? toPartitionKey(query.instanceIdPrefix) : query.entities ? '@' : undefined;
  if (prefix) {
    clauses.push(odata`PartitionKey ge ${prefix}`, odata`PartitionKey lt ${prefix + '\uffff'}`);
  }
  return clauses.length > 0 ? clauses.join(' and ') : undefined;
}

function sameExceptUpdateTime(a: InstanceState, b: InstanceState): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof InstanceState)[]);
  keys.delete('lastUpdatedTime');
  return [...keys].every((key) => a[key] === b[key]);
}
