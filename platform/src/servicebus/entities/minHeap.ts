/** A binary min-heap ordered by a key function: ready messages by sequence number, timers by due time. */
export class MinHeap<T> {
  private readonly items: T[] = [];

  constructor(private readonly keyOf: (item: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    this.items.push(item);
    this.siftUp(this.items.length - 1);
  }

  peek(): T | undefined {
    return this.items[0];
  }

  pop(): T | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (this.items.length > 0 && last !== undefined) {
      this.items[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  /** Removes every item, in no particular order. */
  drain(): T[] {
    return this.items.splice(0, this.items.length);
  }

  private siftUp(index: number): void {
    const item = this.items[index] as T;
    const key = this.keyOf(item);
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = this.items[parentIndex] as T;
      if (this.keyOf(parent) <= key) {
        break;
      }
      this.items[index] = parent;
      index = parentIndex;
    }
    this.items[index] = item;
  }

  private siftDown(index: number): void {
    const length = this.items.length;
    const item = this.items[index] as T;
    const key = this.keyOf(item);
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) {
        break;
      }
      const right = left + 1;
      const child =
        right < length && this.keyOf(this.items[right] as T) < this.keyOf(this.items[left] as T) ? right : left;
      if (this.keyOf(this.items[child] as T) >= key) {
        break;
      }
      this.items[index] = this.items[child] as T;
      index = child;
    }
    this.items[index] = item;
  }
}
