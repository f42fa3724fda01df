/**
 * Remembers message ids for the duplicate detection window. A repeated id inside the window is reported so
 * the send can succeed while the message is dropped, as the service does (learn.microsoft.com,
 * service-bus-messaging/duplicate-detection). The history lives in memory: a restart forgets it.
 */
export class DuplicateDetector {
  private readonly seen = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  /** True when `messageId` was seen inside the window; otherwise records it and returns false. */
  isDuplicate(messageId: string, now: number): boolean {
    this.prune(now);
    const expiresAt = this.seen.get(messageId);
    if (expiresAt !== undefined && expiresAt > now) {
      return true;
    }
    this.seen.delete(messageId);
    this.seen.set(messageId, now + this.windowMs);
    return false;
  }

  /** Ids are kept in insertion order, which is expiry order, so pruning stops at the first live one. */
  private prune(now: number): void {
    for (const [id, expiresAt] of this.seen) {
      if (expiresAt > now) {
        return;
      }
      this.seen.delete(id);
    }
  }
}
