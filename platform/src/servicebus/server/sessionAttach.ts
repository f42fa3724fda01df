import { types, type Sender } from 'rhea';
import { toDotNetTicks } from '../amqp/dotNetTicks';
import type { MessageEntity } from '../entities/messageEntity';
import type { SessionEntry, SessionWaiter } from '../entities/sessionTable';
import { NoSessionAvailableError, toAmqpError } from '../errors';
import type { ConsumerLink } from './consumerLink';
import { holdAttach, releaseAttach, setLocalAttach } from './rheaInternals';

/** The SDK's session filter key on the receiver's source (sb `session/messageSession.ts`). */
export const sessionFilterKey = 'com.microsoft:session-filter';

/** How long `acceptNextSession` waits when the client sends no `com.microsoft:timeout` (the SDK's default). */
const defaultAcceptTimeoutMs = 60_000;

/** A session receiver attach: which session it asks for, and how long it may wait for the next one. */
export interface SessionRequest {
  sender: Sender;
  address: string;
  entity: MessageEntity;
  consumer: ConsumerLink;
  /** A session id, or undefined for the next free session with messages. */
  sessionId: string | undefined;
  /** The client's `com.microsoft:timeout` link property for `acceptNextSession`. */
  timeoutMs: number | undefined;
  onGranted(entry: SessionEntry): void;
  onRefused(error: unknown): void;
}

/**
 * Answers a session receiver's attach. A granted attach echoes the session filter with the session id and
 * carries `com.microsoft:locked-until-utc` in .NET ticks (without either the SDK fails; fragility items 4, 5).
 * A refused one carries no filter and is detached at once with the error. `acceptNextSession` with no free
 * session long-polls: the attach is held back until a session frees up or the client's timeout passes.
 * Returns a function that cancels a pending wait (link closed).
 */
export function attachSessionReceiver(request: SessionRequest): () => void {
  const { entity, consumer, sender } = request;
  let entry: SessionEntry | undefined;
  try {
    entry = entity.sessionLocks().accept(request.sessionId, consumer, Date.now());
  } catch (error) {
    refuse(request, error);
    return () => undefined;
  }
  if (entry) {
    grant(request, entry);
    return () => undefined;
  }
  holdAttach(sender);
  const timeoutMs = request.timeoutMs ?? defaultAcceptTimeoutMs;
  const waiter: SessionWaiter = {
    consumer,
    grant: (granted) => {
      clearTimeout(timer);
      grant(request, granted);
      releaseAttach(sender);
    },
  };
  const timer = setTimeout(() => {
    if (entity.sessionLocks().cancelWait(waiter)) {
      releaseAttach(sender);
      refuse(request, new NoSessionAvailableError(entity.path, timeoutMs));
    }
  }, timeoutMs);
  entity.sessionLocks().wait(waiter);
  return () => {
    clearTimeout(timer);
    if (entity.sessionLocks().cancelWait(waiter)) {
      // The client detached while waiting: it must see our attach before our detach.
      releaseAttach(sender);
    }
  };
}

function grant(request: SessionRequest, entry: SessionEntry): void {
  request.consumer.bindSession(entry.id);
  request.sender.set_source({ address: request.address, filter: { [sessionFilterKey]: entry.id } });
  setLocalAttach(request.sender, {
    properties: { 'com.microsoft:locked-until-utc': types.wrap_long(toDotNetTicks(entry.lockedUntil)) },
  });
  request.onGranted(entry);
}

function refuse(request: SessionRequest, error: unknown): void {
  request.onRefused(error);
  request.sender.close(toAmqpError(error));
}
