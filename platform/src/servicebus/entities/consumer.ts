import type { BrokerMessage } from './message';

/** `peekLock` locks each delivered message until settled; `receiveAndDelete` removes it on delivery. */
export type ReceiveMode = 'peekLock' | 'receiveAndDelete';

/** A lock handed out with a delivery. */
export interface DeliveredLock {
  token: string;
  until: number;
}

/** A receiving link as an entity sees it: how much it can take, and where messages go. */
export interface Consumer {
  /** The link name, for logs. */
  readonly name: string;
  readonly receiveMode: ReceiveMode;
  /** The session this consumer holds, on session entities. */
  readonly sessionId: string | undefined;
  /** Messages it can take right now (link credit and transfer slots). */
  available(): number;
  deliver(message: BrokerMessage, lock: DeliveredLock | undefined): void;
  /** The session lock expired while held: the link must detach with SessionLockLost. */
  sessionLockLost(): void;
}
