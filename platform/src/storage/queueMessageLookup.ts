import { ensureError } from '../errors';

/**
 * Azurite 3.37 keeps the messages of every queue in one LokiJS collection. On each queue request it scans that
 * whole collection for expired messages, and each receive or peek filters it whole and sorts every visible
 * message of the queue to return the first few. With a thousand messages in flight (a Durable fan-out) a receive
 * then costs tens of milliseconds. The replacements below give the same answers from the collection's `queueName`
 * index and skip the expiry scan until a message can have expired.
 */

/** A message document as Azurite's queue metadata store keeps it (times in epoch milliseconds or Dates). */
interface MessageDocument {
  accountName: string;
  queueName: string;
  timeNextVisible: number | Date;
  expirationTime: number | Date;
  popReceipt: string;
  dequeueCount: number;
  $loki: number;
}

interface Resultset {
  find(query: Record<string, unknown>): Resultset;
  data(): MessageDocument[];
}

interface MessageCollection {
  data: MessageDocument[];
  chain(): Resultset;
  update(documents: MessageDocument[]): void;
  removeWhere(predicate: (document: MessageDocument) => boolean): void;
}

interface QueueMetadataStore {
  db: { getCollection(name: string): MessageCollection | null };
  MESSAGES_COLLECTION: string;
  checkQueueExist(account: string, queue: string, context: unknown): void;
  messageCopy(document: MessageDocument): unknown;
  insertMessage(message: MessageDocument, context: unknown): Promise<void>;
  clearExpiredMessages(account: string, queue: string, context: unknown): Promise<void>;
  getMessages(...args: unknown[]): Promise<unknown[]>;
  peekMessages(...args: unknown[]): Promise<unknown[]>;
}

const millis = (time: number | Date) => (typeof time === 'number' ? time : time.getTime());

/**
 * Replaces the message lookups of a started Azurite queue server's metadata store with indexed ones. Does nothing
 * when the store does not have the shape of Azurite 3.37's LokiJS store.
 */
export function indexQueueMessages(queueServer: unknown): void {
  const store = (queueServer as { metadataStore?: QueueMetadataStore }).metadataStore;
  const messages = store?.db?.getCollection(store.MESSAGES_COLLECTION);
  if (!store || !messages || typeof store.getMessages !== 'function' || typeof store.messageCopy !== 'function') {
    return;
  }

  const visibleMessages = (account: string, queue: string, now: number, count: number | undefined) => {
    const inQueue = messages.chain().find({ queueName: queue }).data();
    const visible = inQueue.filter((doc) => doc.accountName === account && millis(doc.timeNextVisible) <= now);
    return firstInQueueOrder(visible, count === undefined || count < 1 ? 1 : count);
  };

  const expiry = trackEarliestExpiry(store, messages);

  store.peekMessages = (account, queue, count, queryDate, context) =>
    settle(() => {
      store.checkQueueExist(account as string, queue as string, context);
      expiry.purgeExpired();
      const now = queryDate instanceof Date ? queryDate.getTime() : Date.now();
      return visibleMessages(account as string, queue as string, now, count as number | undefined).map((doc) =>
        store.messageCopy(doc),
      );
    });

  store.getMessages = (account, queue, timeNextVisible, popReceipt, count, queryDate, context) =>
    settle(() => {
      store.checkQueueExist(account as string, queue as string, context);
      expiry.purgeExpired();
      const now = queryDate instanceof Date ? queryDate.getTime() : Date.now();
      const taken = visibleMessages(account as string, queue as string, now, count as number | undefined);
      for (const doc of taken) {
        doc.timeNextVisible = (timeNextVisible as Date).getTime();
        doc.popReceipt = popReceipt as string;
        doc.dequeueCount = Number(doc.dequeueCount) + 1;
      }
      messages.update(taken);
      return taken.map((doc) => store.messageCopy(doc));
    });
}

/**
 * Azurite's own expiry scan runs on every request; this one runs only once the earliest expiry has passed, and
 * then removes the expired messages of every queue (Azure Storage stops returning them at expiry anyway).
 */
function trackEarliestExpiry(store: QueueMetadataStore, messages: MessageCollection) {
  const earliestOf = () =>
    messages.data.reduce((earliest, doc) => Math.min(earliest, millis(doc.expirationTime)), Infinity);
  let earliest = earliestOf();

  const insertMessage = store.insertMessage.bind(store);
  store.insertMessage = async (message, context) => {
    await insertMessage(message, context);
    earliest = Math.min(earliest, millis(message.expirationTime));
  };

  const purgeExpired = () => {
    const now = Date.now();
    if (now < earliest) {
      return;
    }
    messages.removeWhere((doc) => millis(doc.expirationTime) <= now);
    earliest = earliestOf();
  };
  store.clearExpiredMessages = (account, queue, context) =>
    settle(() => {
      store.checkQueueExist(account, queue, context);
      purgeExpired();
    });
  return { purgeExpired };
}

/** Runs `work` now, as Azurite's async store methods do, turning a thrown storage error into a rejection. */
function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(ensureError(error));
  }
}

/** The first `count` messages in Azurite's order: earliest visibility time, then insertion order. */
function firstInQueueOrder(candidates: MessageDocument[], count: number): MessageDocument[] {
  const before = (a: MessageDocument, b: MessageDocument) => {
    const byTime = millis(a.timeNextVisible) - millis(b.timeNextVisible);
    return byTime !== 0 ? byTime < 0 : a.$loki < b.$loki;
  };
  const chosen: MessageDocument[] = [];
  for (const candidate of candidates) {
    if (chosen.length === count && !before(candidate, chosen[count - 1]!)) {
      continue;
    }
    let at = chosen.length;
    while (at > 0 && before(candidate, chosen[at - 1]!)) {
      at--;
    }
    chosen.splice(at, 0, candidate);
    if (chosen.length > count) {
      chosen.pop();
    }
  }
  return chosen;
}
