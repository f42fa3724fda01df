import { newLockToken } from '../amqp/lockToken';
import type { BrokerMessage } from './message';
import { MinHeap } from './minHeap';

interface LockTimer {
  token: string;
  until: number;
}

/**
 * The peek-locks an entity holds, by lock token. Locks outlive the link that received the message, as on
 * the service: only settling, expiry or the covering session lock ends them.
 */
export class LockTable {
  private readonly byToken = new Map<string, BrokerMessage>();
  private readonly timers = new MinHeap<LockTimer>((timer) => timer.until);

  get size(): number {
    return this.byToken.size;
  }

  /** Locks a message until `until`; session-covered locks expire with their session, not on a timer. */
  lock(message: BrokerMessage, until: number, sessionId: string | undefined): string {
    const token = newLockToken();
    message.lock = { token, until, sessionId };
    this.byToken.set(token, message);
    if (sessionId === undefined) {
      this.timers.push({ token, until });
    }
    return token;
  }

  /** The message a token locks, when the lock is still held. */
  get(token: string): BrokerMessage | undefined {
    return this.byToken.get(token);
  }

  /** Ends a lock; the message is no longer locked. */
  release(message: BrokerMessage): void {
    if (message.lock) {
      this.byToken.delete(message.lock.token);
      message.lock = undefined;
    }
  }

  /** Moves a lock's expiry; a stale timer for the old time is skipped when it fires. */
  renew(message: BrokerMessage, until: number): void {
    if (message.lock) {
      message.lock.until = until;
      if (message.lock.sessionId === undefined) {
        this.timers.push({ token: message.lock.token, until });
      }
    }
  }

  /** Removes and returns the messages whose own (not session) lock expired at `now`. */
  takeExpired(now: number): BrokerMessage[] {
    const expired: BrokerMessage[] = [];
    for (let timer = this.timers.peek(); timer && timer.until <= now; timer = this.timers.peek()) {
      this.timers.pop();
      const message = this.byToken.get(timer.token);
      if (message?.lock && message.lock.token === timer.token && message.lock.until <= now) {
        this.release(message);
        expired.push(message);
      }
    }
    return expired;
  }
}
