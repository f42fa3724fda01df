import type { HistoryEvent, RuntimeStatus, TaskMessage } from '../types';
import { eventTypeName, orchestrationStatusNumbers, runtimeStatuses } from './enums';
import { MalformedTaskHubDataError } from './errors';

/** DTFx's `OrchestrationInstance` inside a queue message. */
interface MessageInstance {
  InstanceId: string;
  ExecutionId?: string | null;
}

/** DTFx's `MessageData`: the JSON body of every control-queue and work-item message. */
export interface MessageData {
  ActivityId: string;
  /** Absent in a wrapper message whose content lives in a blob. */
  TaskMessage?: { Event: Record<string, unknown>; SequenceNumber: number; OrchestrationInstance: MessageInstance };
  /** Blob in the large-message container holding the full message, gzip-compressed. */
  CompressedBlobName?: string;
  /** Per-sender counter. */
  SequenceNumber: number;
  Episode?: number;
  Sender?: MessageInstance;
  /**
   * When the message is due (ISO), for messages delayed longer than a queue's 7-day visibility limit: they are
   * sent again until due. This platform's addition; the provider relies on the SDK's 6-day timer chunks.
   */
  DeliverAt?: string;
}

// Newtonsoft's TypeNameHandling.Objects writes "$type" on every object; written so messages read like the
// provider's in Storage Explorer, ignored when reading.
const core = 'DurableTask.Core';

/** A task message as `MessageData`, with the enums numeric as Newtonsoft writes them. */
export function toMessageData(
  message: TaskMessage,
  envelope: { activityId: string; sequenceNumber: number; episode?: number; sender?: string },
): MessageData {
  const event: Record<string, unknown> = { ...message.event };
  if (typeof event.OrchestrationStatus === 'string') {
    event.OrchestrationStatus = orchestrationStatusNumbers[event.OrchestrationStatus as RuntimeStatus];
  }
  return {
    ActivityId: envelope.activityId,
    TaskMessage: {
      Event: event,
      SequenceNumber: 0,
      OrchestrationInstance: { InstanceId: message.instanceId, ExecutionId: message.executionId ?? null },
    },
    SequenceNumber: envelope.sequenceNumber,
    Episode: envelope.episode,
    Sender: envelope.sender === undefined ? undefined : { InstanceId: envelope.sender },
    DeliverAt: message.deliverAt === undefined ? undefined : new Date(message.deliverAt).toISOString(),
  };
}

/** The task message a full (not wrapper) `MessageData` carries. */
export function fromMessageData(data: MessageData, queue: string): TaskMessage {
  const task = data.TaskMessage;
  if (!task) {
    throw new MalformedTaskHubDataError(`Message on queue '${queue}' carries no TaskMessage.`, { queue });
  }
  const event: Record<string, unknown> = { ...task.Event };
  if (typeof event.OrchestrationStatus === 'number') {
    event.OrchestrationStatus = runtimeStatuses.find(
      (s) => orchestrationStatusNumbers[s] === event.OrchestrationStatus,
    );
  }
  if (typeof event.EventType !== 'number') {
    throw new MalformedTaskHubDataError(
      `Message on queue '${queue}' has an event without a numeric EventType (got ${JSON.stringify(event.EventType)}).`,
      { queue },
    );
  }
  event.IsPlayed = event.IsPlayed === true;
  event.EventId = typeof event.EventId === 'number' ? event.EventId : -1;
  const message: TaskMessage = {
    instanceId: task.OrchestrationInstance.InstanceId,
    event: event as unknown as HistoryEvent,
  };
  if (task.OrchestrationInstance.ExecutionId) {
    message.executionId = task.OrchestrationInstance.ExecutionId;
  }
  if (data.DeliverAt) {
    message.deliverAt = Date.parse(data.DeliverAt);
  }
  return message;
}

/** The queue message text for a message: JSON with DTFx's `$type` annotations. */
export function toQueueMessageText(data: MessageData): string {
  const task = data.TaskMessage;
  const instance = (value: MessageInstance) => ({ $type: `${core}.OrchestrationInstance, ${core}`, ...value });
  return JSON.stringify({
    $type: 'DurableTask.AzureStorage.MessageData, DurableTask.AzureStorage',
    ActivityId: data.ActivityId,
    TaskMessage: task
      ? {
          $type: `${core}.TaskMessage, ${core}`,
          Event: { $type: eventClassName(task.Event.EventType), ...task.Event },
          SequenceNumber: task.SequenceNumber,
          OrchestrationInstance: instance(task.OrchestrationInstance),
        }
      : null,
    CompressedBlobName: data.CompressedBlobName ?? null,
    SequenceNumber: data.SequenceNumber,
    Episode: data.Episode,
    Sender: data.Sender ? instance(data.Sender) : undefined,
    SerializableTraceContext: null,
    DeliverAt: data.DeliverAt,
  });
}

function eventClassName(eventType: unknown): string {
  const name = typeof eventType === 'number' ? (eventTypeName(eventType) ?? 'Generic') : 'Generic';
  return `${core}.History.${name}Event, ${core}`;
}

/** Parses a queue message's text; text that is not the provider's JSON fails naming the queue. */
export function fromQueueMessageText(text: string, queue: string): MessageData {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new MalformedTaskHubDataError(`Message on queue '${queue}' is not JSON: ${preview(text)}`, { queue });
  }
  const value = stripTypeNames(parsed) as Partial<MessageData> & { TaskMessage?: MessageData['TaskMessage'] | null };
  if (typeof value !== 'object' || value === null || (!value.TaskMessage && !value.CompressedBlobName)) {
    throw new MalformedTaskHubDataError(
      `Message on queue '${queue}' has neither TaskMessage nor CompressedBlobName: ${preview(text)}`,
      { queue },
    );
  }
  if (value.TaskMessage && typeof value.TaskMessage.OrchestrationInstance?.InstanceId !== 'string') {
    throw new MalformedTaskHubDataError(
      `Message on queue '${queue}' has no TaskMessage.OrchestrationInstance.InstanceId: ${preview(text)}`,
      { queue },
    );
  }
  return {
    ActivityId: String(value.ActivityId ?? ''),
    TaskMessage: value.TaskMessage ?? undefined,
    CompressedBlobName: value.CompressedBlobName ?? undefined,
    SequenceNumber: Number(value.SequenceNumber ?? 0),
    Episode: value.Episode ?? undefined,
    Sender: value.Sender ?? undefined,
    DeliverAt: value.DeliverAt ?? undefined,
  };
}

// User payloads are JSON text inside string fields, so every object here is DTFx's own and may carry "$type".
function stripTypeNames(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(stripTypeNames);
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (key !== '$type') {
        out[key] = stripTypeNames(inner);
      }
    }
    return out;
  }
  return value;
}

function preview(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Queue payloads above this many UTF-8 bytes go to a blob (the SDK may base64-encode, so 45 KB leaves room). */
export const maxInlineMessageBytes = 45 * 1024;

/** Blob name for a queue message too large to send inline, as DTFx's `MessageManager` names it. */
export function toLargeMessageBlobName(instanceId: string, activityId: string, eventType: number): string {
  return `${instanceId}/message-${activityId}-${eventTypeName(eventType) ?? String(eventType)}.json.gz`;
}
