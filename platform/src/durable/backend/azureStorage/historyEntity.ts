import type { HistoryEvent } from '../types';
import { eventTypeFromName, eventTypeName } from './enums';
import { MalformedTaskHubDataError } from './errors';

/** Row key of the History table's per-instance checkpoint row. */
export const sentinelRowKey = 'sentinel';

/** A table row as the table client reads and writes it. */
export interface TableRow {
  partitionKey: string;
  rowKey: string;
  etag?: string;
  [property: string]: unknown;
}

// Fields DTFx stores as DateTime columns, and fields holding objects it stores as JSON text.
const dateFields = new Set(['Timestamp', 'FireAt', 'ScheduledStartTime']);
const objectFields = new Set(['OrchestrationInstance', 'ParentInstance', 'FailureDetails', 'Tags']);
const rowMetadata = new Set(['partitionKey', 'rowKey', 'etag', 'timestamp', 'odata.etag', 'odata.metadata']);

/** The row key of the n-th event of an execution: its sequence number as 16 upper-case hex digits (`X16`). */
export function toHistoryRowKey(sequenceNumber: number): string {
  return sequenceNumber.toString(16).toUpperCase().padStart(16, '0');
}

/** The sequence number encoded in a history row key; NaN for the sentinel. */
export function fromHistoryRowKey(rowKey: string): number {
  return rowKey === sentinelRowKey ? Number.NaN : parseInt(rowKey, 16);
}

/**
 * A history event as a History table row: `EventType` by name, `Timestamp` renamed `_Timestamp` (reserved by
 * Table storage), dates as DateTime, nested objects as JSON text, plus the `ExecutionId` column
 * (DTFx `TableEntityConverter`).
 */
export function toHistoryEntity(
  event: HistoryEvent,
  where: { partitionKey: string; sequenceNumber: number; executionId: string },
): TableRow {
  const row: TableRow = {
    partitionKey: where.partitionKey,
    rowKey: toHistoryRowKey(where.sequenceNumber),
    ExecutionId: where.executionId,
  };
  for (const [key, value] of Object.entries(event)) {
    if (value === undefined || value === null) {
      continue;
    }
    row[key === 'Timestamp' ? '_Timestamp' : key] = toColumnValue(key, value);
  }
  return row;
}

function toColumnValue(key: string, value: unknown): unknown {
  if (key === 'EventType' && typeof value === 'number') {
    return eventTypeName(value) ?? value;
  }
  if (dateFields.has(key) && typeof value === 'string') {
    return new Date(value);
  }
  if (typeof value === 'object' && !(value instanceof Date)) {
    return JSON.stringify(value);
  }
  return value;
}

/** Reads a History table row back into the history event it was written from. */
export function fromHistoryEntity(row: TableRow): HistoryEvent {
  const event: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if (rowMetadata.has(column) || column === 'ExecutionId' || value === undefined || value === null) {
      continue;
    }
    const key = column === '_Timestamp' ? 'Timestamp' : column;
    event[key] = fromColumnValue(key, value, row);
  }
  if (typeof event.EventType !== 'number' || typeof event.EventId !== 'number') {
    throw new MalformedTaskHubDataError(
      `History row has no valid EventType/EventId: expected an EventType name and a number, got ` +
        `EventType=${String(row.EventType)}, EventId=${String(row.EventId)}.`,
      { partitionKey: row.partitionKey, rowKey: row.rowKey },
    );
  }
  event.IsPlayed = event.IsPlayed === true;
  return event as unknown as HistoryEvent;
}

function fromColumnValue(key: string, value: unknown, row: TableRow): unknown {
  if (key === 'EventType' && typeof value === 'string') {
    return eventTypeFromName(value) ?? Number(value);
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (dateFields.has(key) && typeof value === 'string') {
    return new Date(value).toISOString();
  }
  if (typeof value === 'bigint') {
    return Number(value);
  }
  if (objectFields.has(key) && typeof value === 'string' && value !== '') {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw new MalformedTaskHubDataError(`History column '${key}' holds text that is not JSON.`, {
        partitionKey: row.partitionKey,
        rowKey: row.rowKey,
      });
    }
  }
  return value;
}

/** Sentinel column naming the blob that holds the committed events while a checkpoint overwrites their rows. */
export const savedHistoryColumn = 'SavedHistoryBlobName';

/**
 * The sentinel row of a checkpoint batch; its ETag guards the history against concurrent writers. The final
 * batch of a checkpoint marks it complete and records how many events the execution has: `CheckpointEventCount`
 * is this platform's addition, so that a crash between the batches of a large checkpoint leaves no partial
 * episode behind (the provider only flags `IsCheckpointComplete`). An unfinished checkpoint that overwrites rows
 * of the committed execution names the blob holding that execution's events (`savedHistory`); the final batch
 * replaces the whole row, which drops that column.
 */
export function toSentinelEntity(
  partitionKey: string,
  checkpoint: { executionId: string; eventCount: number; complete: boolean; completedAt: Date; savedHistory?: string },
): TableRow {
  const row: TableRow = { partitionKey, rowKey: sentinelRowKey, IsCheckpointComplete: checkpoint.complete };
  if (checkpoint.complete) {
    row.ExecutionId = checkpoint.executionId;
    row.CheckpointEventCount = checkpoint.eventCount;
    row.CheckpointCompletedTimestamp = checkpoint.completedAt;
  } else if (checkpoint.savedHistory !== undefined) {
    row[savedHistoryColumn] = checkpoint.savedHistory;
  }
  return row;
}

/** What a sentinel row says about the committed history. */
export interface SentinelState {
  executionId: string;
  /** Events of the execution that belong to completed checkpoints; undefined for hubs written by the provider. */
  eventCount: number | undefined;
  /** Blob holding the committed events while an unfinished checkpoint overwrites their rows. */
  savedHistory?: string;
}

/** Reads the sentinel row. */
export function fromSentinelEntity(row: TableRow): SentinelState {
  const count = row.CheckpointEventCount;
  const saved = row[savedHistoryColumn];
  return {
    executionId: typeof row.ExecutionId === 'string' ? row.ExecutionId : '',
    eventCount: typeof count === 'number' || typeof count === 'bigint' ? Number(count) : undefined,
    ...(typeof saved === 'string' && saved !== '' ? { savedHistory: saved } : {}),
  };
}
