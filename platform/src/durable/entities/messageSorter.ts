import { EventType, isEntityInstanceId, type HistoryEvent } from '../backend/types';

/**
 * The labels that order an entity request within its sender's stream (ext `EntityScheduler/RequestMessage.cs`):
 * ISO times, PascalCase as the extension serializes them. Requests without them (from clients, or sent before
 * labels existed) pass through the sorter unsorted.
 */
export interface SortableRequest {
  parent?: string;
  parentExecution?: string;
  /** Position of a lock request in its lock set; forwarded ones (position > 0) are not sorted. */
  position?: number;
  /** When the sender sent it; unique and increasing per sender and destination. */
  Timestamp?: string;
  /** `Timestamp` of the sender's previous request to the same destination, if it is within the window. */
  Predecessor?: string;
}

/** What the receiver knows of one sender's stream. */
export interface ReceiveBuffer<T extends SortableRequest> {
  /** Timestamp (ms) of the last request delivered; 0 when none counts any more. */
  last: number;
  /** Execution of the sender whose requests these are; a new execution starts a new stream. */
  executionId?: string;
  /** Requests waiting for a predecessor that has not arrived, by timestamp. */
  buffered?: T[];
}

/**
 * Per-destination send clocks and per-sender receive buffers (DTFx `MessageSorter`), kept in the entity's persisted
 * scheduler state. Times are host-clock ms.
 */
export interface MessageSorterState<T extends SortableRequest = SortableRequest> {
  lastSentToInstance?: Record<string, number>;
  receivedFromInstance?: Record<string, ReceiveBuffer<T>>;
  receiveHorizon?: number;
  sendHorizon?: number;
}

/**
 * How long a late or repeated request is expected: the extension's `EntityMessageReorderWindowInMinutes` default
 * (30) for providers without ordered delivery, such as Azure Storage (ext `DurableTaskExtension.cs`).
 */
export const reorderWindowMs = 30 * 60_000;

// DTFx `MessageSorter.MinIntervalBetweenCollections`: clean-ups are spaced out, since each walks the whole state.
const minIntervalBetweenCollectionsMs = 10_000;

/**
 * Labels a request the sender sends to `destination` now: a timestamp after the last one sent there, and that one
 * as its predecessor (DTFx `LabelOutgoingMessage`). Send clocks older than the window are forgotten.
 */
export function labelOutgoing<T extends SortableRequest>(
  sorter: MessageSorterState,
  request: T,
  destination: string,
  now: number,
): T {
  const lastSent = (sorter.lastSentToInstance ??= {});
  if ((sorter.sendHorizon ?? 0) + reorderWindowMs + minIntervalBetweenCollectionsMs < now) {
    sorter.sendHorizon = now - reorderWindowMs;
    for (const [target, at] of Object.entries(lastSent)) {
      if (at < sorter.sendHorizon) {
        delete lastSent[target];
      }
    }
  }

  const predecessor = lastSent[destination];
  const timestamp = predecessor !== undefined && now <= predecessor ? predecessor + 1 : now;
  lastSent[destination] = timestamp;
  return {
    ...request,
    Timestamp: new Date(timestamp).toISOString(),
    ...(predecessor === undefined ? {} : { Predecessor: new Date(predecessor).toISOString() }),
  };
}

/**
 * The requests that may be delivered now that `request` arrived, in their senders' order (DTFx `ReceiveInOrder`):
 * none for a request already delivered (a duplicate) or one waiting for its predecessor, else the request and any
 * buffered ones it unblocks. Unlabelled requests and forwarded lock requests pass straight through.
 */
export function receiveInOrder<T extends SortableRequest>(sorter: MessageSorterState<T>, request: T): T[] {
  const timestamp = fromLabel(request.Timestamp);
  if (timestamp === undefined || request.parent === undefined || (request.position ?? 0) > 0) {
    return [request];
  }

  const delivered = advanceReceiveHorizon(sorter, timestamp);
  const horizon = sorter.receiveHorizon ?? 0;
  if (timestamp < horizon) {
    return [...delivered, request];
  }
  const buffer = bufferOf(sorter, request, delivered);
  if (timestamp <= buffer.last) {
    return delivered;
  }
  const predecessor = fromLabel(request.Predecessor) ?? 0;
  if (predecessor > buffer.last && predecessor >= horizon) {
    buffer.buffered = [...(buffer.buffered ?? []), request].sort(
      (a, b) => (fromLabel(a.Timestamp) ?? 0) - (fromLabel(b.Timestamp) ?? 0),
    );
    return delivered;
  }
  delivered.push(request);
  buffer.last = timestamp >= horizon ? timestamp : 0;
  delivered.push(...takeUnblocked(buffer, horizon));
  return delivered;
}

/**
 * The send clocks of an orchestration execution, rebuilt from the requests its history says it sent (EventSent),
 * so that labels stay the same on every replay, as the extension rebuilds them while replaying.
 */
export function fromSentEvents(history: readonly HistoryEvent[]): MessageSorterState {
  const lastSentToInstance: Record<string, number> = {};
  for (const event of history) {
    if (event.EventType !== EventType.EventSent || !event.InstanceId || !isEntityInstanceId(event.InstanceId)) {
      continue;
    }
    const sent = fromLabel(readTimestamp(event.Input ?? ''));
    if (sent !== undefined && sent > (lastSentToInstance[event.InstanceId] ?? 0)) {
      lastSentToInstance[event.InstanceId] = sent;
    }
  }
  return { lastSentToInstance };
}

/** True when the sorter holds nothing worth storing. */
export function isEmptySorter(sorter: MessageSorterState): boolean {
  return (
    Object.keys(sorter.lastSentToInstance ?? {}).length === 0 &&
    Object.keys(sorter.receivedFromInstance ?? {}).length === 0
  );
}

/**
 * Moves the receive horizon to `timestamp` minus the window when it lags far enough behind: buffered requests
 * older than it are delivered (their predecessors are not expected any more) and senders quiet since are forgotten.
 */
function advanceReceiveHorizon<T extends SortableRequest>(sorter: MessageSorterState<T>, timestamp: number): T[] {
  const delivered: T[] = [];
  if ((sorter.receiveHorizon ?? 0) + reorderWindowMs + minIntervalBetweenCollectionsMs >= timestamp) {
    return delivered;
  }
  const horizon = timestamp - reorderWindowMs;
  sorter.receiveHorizon = horizon;
  const buffers = sorter.receivedFromInstance ?? {};
  for (const [sender, buffer] of Object.entries(buffers)) {
    if (buffer.last < horizon) {
      buffer.last = 0;
    }
    delivered.push(...takeUnblocked(buffer, horizon));
    if (buffer.last === 0 && !buffer.buffered?.length) {
      delete buffers[sender];
    }
  }
  if (Object.keys(buffers).length === 0) {
    delete sorter.receivedFromInstance;
  }
  return delivered;
}

/** The sender's buffer; a request from a new execution of the sender releases what the old one left buffered. */
function bufferOf<T extends SortableRequest>(
  sorter: MessageSorterState<T>,
  request: T,
  delivered: T[],
): ReceiveBuffer<T> {
  const buffers = (sorter.receivedFromInstance ??= {});
  const sender = request.parent as string;
  const existing = buffers[sender];
  if (existing && existing.executionId === request.parentExecution) {
    return existing;
  }
  delivered.push(...(existing?.buffered ?? []));
  const fresh: ReceiveBuffer<T> = {
    last: 0,
    ...(request.parentExecution === undefined ? {} : { executionId: request.parentExecution }),
  };
  buffers[sender] = fresh;
  return fresh;
}

/** Takes buffered requests off the front while their predecessor has been delivered or fell behind the horizon. */
function takeUnblocked<T extends SortableRequest>(buffer: ReceiveBuffer<T>, horizon: number): T[] {
  const taken: T[] = [];
  let next = buffer.buffered?.[0];
  while (next !== undefined) {
    const predecessor = fromLabel(next.Predecessor) ?? 0;
    if (predecessor > buffer.last && predecessor >= horizon) {
      break;
    }
    const timestamp = fromLabel(next.Timestamp) ?? 0;
    buffer.last = timestamp >= horizon ? timestamp : 0;
    buffer.buffered?.shift();
    taken.push(next);
    next = buffer.buffered?.[0];
  }
  if (buffer.buffered?.length === 0) {
    delete buffer.buffered;
  }
  return taken;
}

function fromLabel(label: string | undefined): number | undefined {
  const ms = label === undefined ? Number.NaN : Date.parse(label);
  return Number.isNaN(ms) ? undefined : ms;
}

function readTimestamp(requestText: string): string | undefined {
  try {
    const request = JSON.parse(requestText) as SortableRequest;
    return typeof request.Timestamp === 'string' ? request.Timestamp : undefined;
  } catch {
    return undefined;
  }
}
