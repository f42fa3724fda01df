import { randomInt } from 'node:crypto';
import { odata, type TableClient, type TableEntity, type TransactionAction } from '@azure/data-tables';
import type { Clock } from '../../../../clock/clock';
import { HistoryConflictError } from '../../errors';
import type { HistoryEvent } from '../../types';
import {
  fromHistoryEntity,
  fromHistoryRowKey,
  fromSentinelEntity,
  sentinelRowKey,
  toHistoryEntity,
  toSentinelEntity,
  type TableRow,
} from '../historyEntity';
import { MalformedTaskHubDataError } from '../errors';
import { toPartitionKey } from '../keySanitation';
import { toHistoryPropertyBlobName, type LargePayloadStore } from '../largePayloads';
import { failedWith } from '../storageErrors';
import { LruCache } from './lruCache';

/** The committed history of an instance's current execution and the ETag guarding it. */
export interface LoadedHistory {
  executionId: string;
  events: HistoryEvent[];
  /** ETag of the sentinel row; undefined when the instance has no history. */
  etag: string | undefined;
  /**
   * Blob that holds `events` because a checkpoint stopped between its transactions after overwriting some of
   * their rows; the next checkpoint rewrites the execution from its first row.
   */
  savedHistory?: string;
}

/**
 * Cached history with the sentinel ETag it was read or written under. Safe like DTFx's extended sessions without
 * their risk: every checkpoint is still conditional on the ETag, and a mismatch drops the entry.
 */
type CachedHistory = LoadedHistory;

/** What one checkpoint writes to the History table. */
export interface HistoryWrite {
  instanceId: string;
  executionId: string;
  /** The history as loaded for the work item; new events follow it unless `replace`. */
  loaded: LoadedHistory;
  events: readonly HistoryEvent[];
  replace: boolean;
}

// A table transaction takes at most 100 operations and 4 MiB; the sentinel rides in every batch.
const maxEventsPerBatch = 99;
const maxBatchBytes = 3 * 1024 * 1024;

/**
 * The `<Hub>History` table: one partition per instance, one row per event, and a sentinel row whose ETag makes
 * every checkpoint conditional on the history this host loaded (optimistic concurrency, as in the provider).
 * Loaded histories are cached with their ETag, so an instance whose partition this host owns is read once.
 */
export class HistoryStore {
  readonly #cache = new LruCache<CachedHistory>(4096);

  constructor(
    private readonly table: TableClient,
    private readonly payloads: LargePayloadStore,
    private readonly clock: Clock,
  ) {}

  /** The current execution's committed history (frozen events), from the cache when this host wrote it last. */
  async load(instanceId: string): Promise<LoadedHistory> {
    let cached = this.#cache.get(instanceId);
    if (!cached) {
      cached = frozen(await this.read(instanceId));
      this.#cache.set(instanceId, cached);
    }
    return { ...cached, events: [...cached.events] };
  }

  /** Reads the history from the table, bypassing the cache. */
  async read(instanceId: string): Promise<LoadedHistory> {
    const rows = await this.#rows(toPartitionKey(instanceId));
    const sentinel = rows.find((row) => row.rowKey === sentinelRowKey);
    if (!sentinel) {
      return { executionId: '', events: [], etag: undefined };
    }
    const state = fromSentinelEntity(sentinel);
    if (state.savedHistory !== undefined) {
      const events = await this.#readSavedHistory(state.savedHistory);
      return { executionId: state.executionId, events, etag: sentinel.etag, savedHistory: state.savedHistory };
    }
    const eventRows = rows
      .filter((row) => row.rowKey !== sentinelRowKey && row.ExecutionId === state.executionId)
      .filter((row) => state.eventCount === undefined || fromHistoryRowKey(row.rowKey) < state.eventCount)
      .sort((a, b) => (a.rowKey < b.rowKey ? -1 : 1));
    await Promise.all(eventRows.map((row) => this.payloads.restoreProperties(row)));
    return { executionId: state.executionId, events: eventRows.map(fromHistoryEntity), etag: sentinel.etag };
  }

  /** Forgets cached histories (the partition moved to another host, or the entries went stale). */
  forget(instanceId?: string): void {
    if (instanceId === undefined) {
      this.#cache.clear();
    } else {
      this.#cache.delete(instanceId);
    }
  }

  /**
   * Writes a checkpoint in batches of at most 99 events plus the sentinel, each conditional on the previous
   * batch's sentinel ETag; returns the new ETag. A 409 / 412 / 404 on the sentinel means another writer got
   * there first: `HistoryConflictError`, and the cached history is dropped.
   *
   * The batch holding the lowest rows goes last and commits the checkpoint (execution id and event count on the
   * sentinel). The batches before it write only higher rows, which readers ignore until then unless they belong
   * to the committed execution: a continue-as-new or rewind over a long execution first saves that execution's
   * events in a blob named on the sentinel, so a crash between the batches leaves the old execution readable.
   */
  async write(write: HistoryWrite): Promise<string | undefined> {
    const { loaded } = write;
    if (write.events.length === 0 && !write.replace) {
      return loaded.etag;
    }
    const partitionKey = toPartitionKey(write.instanceId);
    const { events, first } = rowsToWrite(write);
    const rows = events.map((event, i) =>
      toHistoryEntity(event, { partitionKey, sequenceNumber: first + i, executionId: write.executionId }),
    );
    await Promise.all(rows.map((row) => this.payloads.offloadProperties(row, toHistoryPropertyBlobName)));

    const batches = splitIntoBatches(rows);
    const earlyRowsFrom = first + (batches[0]?.length ?? 0);
    const savedHistory =
      batches.length > 1 ? await this.#saveOverwritten(loaded, partitionKey, earlyRowsFrom) : undefined;
    let etag = loaded.etag;
    try {
      for (let index = batches.length - 1; index >= 0; index--) {
        const sentinel = toSentinelEntity(partitionKey, {
          executionId: write.executionId,
          eventCount: first + rows.length,
          complete: index === 0,
          completedAt: new Date(this.clock.now()),
          savedHistory,
        });
        etag = await this.#submit(batches[index] ?? [], sentinel, etag);
      }
    } catch (error) {
      this.#cache.delete(write.instanceId);
      if (failedWith(error, 404, 409, 412)) {
        throw new HistoryConflictError(write.instanceId, loaded.etag);
      }
      throw error;
    }

    // The engine's own event objects are copied before they are frozen into the cache.
    const written = events.map((event) => ({ ...event }));
    const history = first === 0 ? written : [...loaded.events, ...written];
    this.#cache.set(write.instanceId, frozen({ executionId: write.executionId, events: history, etag }));
    await this.#deleteSavedHistory(loaded.savedHistory ?? savedHistory);
    return etag;
  }

  /**
   * Saves the committed events in a blob when the batches before the final one overwrite some of their rows;
   * returns its name (the one already saved when an earlier attempt stopped half way), or undefined.
   */
  async #saveOverwritten(
    loaded: LoadedHistory,
    partitionKey: string,
    earlyRowsFrom: number,
  ): Promise<string | undefined> {
    if (loaded.savedHistory !== undefined) {
      return loaded.savedHistory;
    }
    if (earlyRowsFrom >= loaded.events.length) {
      return undefined;
    }
    const blobName = toSavedHistoryBlobName(partitionKey);
    await this.payloads.upload(blobName, JSON.stringify(loaded.events));
    return blobName;
  }

  async #readSavedHistory(blobName: string): Promise<HistoryEvent[]> {
    const events = JSON.parse(await this.payloads.download(blobName)) as unknown;
    if (!Array.isArray(events)) {
      throw new MalformedTaskHubDataError(
        `Saved history blob '${blobName}' holds ${typeof events}; expected a JSON array of history events.`,
        { blob: blobName },
      );
    }
    return events as HistoryEvent[];
  }

  /** Deletes a saved history the sentinel no longer names; one left behind is garbage that purge removes. */
  async #deleteSavedHistory(blobName: string | undefined): Promise<void> {
    if (blobName !== undefined) {
      await this.payloads.delete(blobName).catch(() => undefined);
    }
  }

  async #submit(batch: TableRow[], sentinel: TableRow, etag: string | undefined): Promise<string | undefined> {
    const actions: TransactionAction[] = batch.map((row) => ['upsert', row as TableEntity, 'Replace']);
    // A completing sentinel replaces the row, dropping the saved-history column of an unfinished checkpoint.
    const mode = sentinel.IsCheckpointComplete === true ? 'Replace' : 'Merge';
    actions.push(etag === undefined ? ['create', sentinel] : ['update', sentinel, mode, { etag }]);
    const response = await this.table.submitTransaction(actions);
    return (
      response.subResponses.find((sub) => sub.rowKey === sentinelRowKey)?.etag ?? response.subResponses.at(-1)?.etag
    );
  }

  /** Deletes an instance's history rows and offloaded properties; false when there were none. */
  async purge(instanceId: string): Promise<boolean> {
    const partitionKey = toPartitionKey(instanceId);
    const rows = await this.#rows(partitionKey);
    for (let i = 0; i < rows.length; i += 100) {
      const batch = rows.slice(i, i + 100);
      await this.table.submitTransaction(batch.map((row) => ['delete', row as TableEntity]));
    }
    await this.payloads.deletePrefix(`${partitionKey}/history-`);
    this.#cache.delete(instanceId);
    return rows.length > 0;
  }

  async #rows(partitionKey: string): Promise<TableRow[]> {
    const rows: TableRow[] = [];
    const filter = odata`PartitionKey eq ${partitionKey}`;
    for await (const entity of this.table.listEntities({ queryOptions: { filter } })) {
      rows.push(entity as TableRow);
    }
    return rows;
  }
}

/** The events a checkpoint writes and the sequence number of the first. */
function rowsToWrite(write: HistoryWrite): { events: readonly HistoryEvent[]; first: number } {
  if (write.replace) {
    return { events: write.events, first: 0 };
  }
  // Rows of a half-overwritten execution are not appended to: the checkpoint rewrites it from its first row.
  if (write.loaded.savedHistory !== undefined) {
    return { events: [...write.loaded.events, ...write.events], first: 0 };
  }
  return { events: write.events, first: write.loaded.events.length };
}

/** A saved history lives in the instance's folder of history blobs, so purging the instance deletes it. */
function toSavedHistoryBlobName(partitionKey: string): string {
  const random = randomInt(0, 0x7fffffff).toString(16).toUpperCase().padStart(8, '0');
  return `${partitionKey}/history-saved-${random}.json.gz`;
}

/** Cached events are shared by every work item of the instance, so they are frozen against change. */
function frozen(history: LoadedHistory): LoadedHistory {
  history.events.forEach((event) => Object.freeze(event));
  return history;
}

function splitIntoBatches(rows: TableRow[]): TableRow[][] {
  const batches: TableRow[][] = [];
  let current: TableRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = JSON.stringify(row).length * 2;
    if (current.length >= maxEventsPerBatch || (current.length > 0 && bytes + size > maxBatchBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(row);
    bytes += size;
  }
  batches.push(current);
  return batches;
}
