import { EventType, type HistoryEvent, type InstanceState } from '../backend/types';
import { fromJsonText } from '../replay/jsonText';

/** Status JSON of the HTTP API (source: ext `StatusResponsePayload.cs`). */
export interface StatusPayload {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  customStatus: unknown;
  output: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  historyEvents?: Record<string, unknown>[];
}

/** `yyyy-MM-ddTHH:mm:ssZ`, the extension's time format in status payloads. */
export function toStatusTime(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

/** The status JSON of an instance row, with its history when asked. */
export function toStatusPayload(
  instance: InstanceState,
  options: { showInput: boolean; history?: readonly HistoryEvent[]; showHistoryOutput?: boolean },
): StatusPayload {
  const payload: StatusPayload = {
    name: instance.name,
    instanceId: instance.instanceId,
    runtimeStatus: instance.runtimeStatus,
    input: options.showInput ? parseOrText(instance.input) : null,
    customStatus: parseOrText(instance.customStatus),
    output: parseOrText(instance.output),
    createdTime: toStatusTime(instance.createdTime),
    lastUpdatedTime: toStatusTime(instance.lastUpdatedTime),
  };
  if (options.history) {
    payload.historyEvents = toHistoryEventsPayload(options.history, options.showHistoryOutput === true);
  }
  return payload;
}

const eventTypeNames = Object.fromEntries(Object.entries(EventType).map(([name, value]) => [value, name]));

/**
 * History as the status API shows it (docs "Get instance status"): event type names, episode markers left out,
 * each completion merged with its scheduling event (FunctionName, ScheduledTime); results only when asked.
 */
export function toHistoryEventsPayload(
  history: readonly HistoryEvent[],
  showOutput: boolean,
): Record<string, unknown>[] {
  const scheduled = new Map<number, HistoryEvent>();
  const result: Record<string, unknown>[] = [];
  for (const event of history) {
    switch (event.EventType) {
      case EventType.OrchestratorStarted:
      case EventType.OrchestratorCompleted:
        break;
      case EventType.TaskScheduled:
      case EventType.SubOrchestrationInstanceCreated:
        scheduled.set(event.EventId, event);
        break;
      default:
        result.push(toHistoryEntry(event, scheduled, showOutput));
    }
  }
  return result;
}

function toHistoryEntry(
  event: HistoryEvent,
  scheduled: Map<number, HistoryEvent>,
  showOutput: boolean,
): Record<string, unknown> {
  const entry: Record<string, unknown> = { EventType: eventTypeNames[event.EventType] ?? String(event.EventType) };
  const origin = event.TaskScheduledId === undefined ? undefined : scheduled.get(event.TaskScheduledId);
  if (event.EventType === EventType.ExecutionStarted) {
    entry.FunctionName = event.Name;
    if (showOutput) {
      entry.Input = parseOrText(event.Input);
    }
  }
  if (origin) {
    entry.FunctionName = origin.Name;
    entry.ScheduledTime = origin.Timestamp;
  }
  if (event.Name !== undefined && entry.FunctionName === undefined) {
    entry.Name = event.Name;
  }
  if (event.OrchestrationStatus) {
    entry.OrchestrationStatus = event.OrchestrationStatus;
  }
  if (event.FireAt) {
    entry.FireAt = event.FireAt;
  }
  if (showOutput && event.Result !== undefined) {
    entry.Result = parseOrText(event.Result);
  }
  if (showOutput && event.EventType === EventType.EventRaised && event.Input !== undefined) {
    entry.Input = parseOrText(event.Input);
  }
  if (event.Reason !== undefined) {
    entry.Reason = event.Reason;
  }
  if (event.Details !== undefined) {
    entry.Details = event.Details;
  }
  entry.Timestamp = event.Timestamp;
  return entry;
}

function parseOrText(text: string | undefined): unknown {
  if (text === undefined) {
    return null;
  }
  try {
    return fromJsonText(text) ?? null;
  } catch {
    return text;
  }
}
