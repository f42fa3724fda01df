import type { RpcTypedData } from '../../worker/rpc';
import { fromJsonText } from '../replay/jsonText';

/**
 * The `activityTrigger` value for a TaskScheduled input (JSON text). Null and undefined become empty data, so the
 * handler sees undefined, as with the real extension (reference durable.md §9).
 */
export function toActivityTrigger(inputText: string | undefined): RpcTypedData {
  const value = fromJsonText(inputText);
  return value === undefined || value === null ? {} : { json: JSON.stringify(value) };
}

/** JSON text of an activity's return value, for `TaskCompleted.Result`; undefined and null become `"null"`. */
export function fromActivityReturnValue(value: RpcTypedData | null | undefined): string {
  if (!value) {
    return 'null';
  }
  if (value.json !== undefined) {
    return value.json;
  }
  if (value.string !== undefined) {
    return JSON.stringify(value.string);
  }
  if (value.int !== undefined || value.double !== undefined) {
    return JSON.stringify(value.int ?? value.double);
  }
  const bytes = value.bytes ?? value.stream;
  if (bytes !== undefined) {
    return JSON.stringify(Buffer.from(bytes).toString('base64'));
  }
  return 'null';
}

/** `TaskFailed.Reason` as the extension writes it for a failed activity (source: ext `TaskActivityShim.cs`). */
export function activityFailureReason(activityName: string, message: string): string {
  return `Activity function '${activityName}' failed: ${message}`;
}

/** `TaskFailed.Details`: the exception serialized, message and stack. */
export function activityFailureDetails(error: Error | undefined): string {
  return JSON.stringify({ message: error?.message ?? '', stack: error?.stack ?? '' });
}
