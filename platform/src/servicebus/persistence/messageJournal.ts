import type { BrokerMessage } from '../entities/message';

/**
 * Where entities record every change to the messages they hold. The broker calls `flush` before it tells a
 * client that a change happened (send accepted, message settled), so an acknowledged change is on disk.
 */
export interface MessageJournal {
  enqueued(entityPath: string, message: BrokerMessage): void;
  /** State, delivery count, enqueue time or (when `contentChanged`) the message's bytes changed. */
  updated(entityPath: string, message: BrokerMessage, contentChanged: boolean): void;
  removed(entityPath: string, sequenceNumber: number): void;
  sessionStateSet(entityPath: string, sessionId: string, state: Buffer | undefined): void;
  flush(): void;
}

/** The journal of an in-memory broker: nothing survives a restart. */
export const memoryJournal: MessageJournal = {
  enqueued: () => undefined,
  updated: () => undefined,
  removed: () => undefined,
  sessionStateSet: () => undefined,
  flush: () => undefined,
};
