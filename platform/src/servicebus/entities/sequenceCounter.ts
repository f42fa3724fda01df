/**
 * Hands out sequence numbers for one queue or topic (a topic's subscriptions share its numbers, so a
 * scheduled message keeps one number everywhere). Numbers only grow, also across restarts.
 */
export class SequenceCounter {
  private last = 0;

  next(): number {
    return ++this.last;
  }

  /** Raises the counter past a number seen in the journal. */
  observe(sequenceNumber: number): void {
    this.last = Math.max(this.last, sequenceNumber);
  }

  get current(): number {
    return this.last;
  }
}
