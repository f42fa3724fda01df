import type { BrokerMessage } from '../entities/message';
import type { Namespace } from '../entities/namespace';
import type { BrokerLogger } from '../logger';
import type { DecodedRecord, JournalRecord } from './journalRecords';

/** Rebuilds state from journal records as they are read, then hands it to the namespace. */
export class JournalReplay {
  private readonly messages = new Map<string, Map<number, BrokerMessage>>();
  private readonly sessionStates = new Map<string, Map<string, Buffer>>();
  private readonly counters = new Map<string, number>();
  private readonly paths = new Map<string, string>();

  /** Applies one record in journal order. */
  apply(record: DecodedRecord): void {
    switch (record.kind) {
      case 'enqueued':
        this.entity(record.entityPath).set(record.message.sequenceNumber, record.message);
        break;
      case 'updated': {
        const message = this.entity(record.entityPath).get(record.update.metadata.sequenceNumber);
        if (message) {
          Object.assign(message, record.update.metadata, record.update.content ?? {});
        }
        break;
      }
      case 'removed':
        this.entity(record.entityPath).delete(record.sequenceNumber);
        break;
      case 'sessionState':
        this.sessionState(record.entityPath, record.sessionId, record.state);
        break;
      case 'sequence':
        this.counters.set(record.counter, Math.max(this.counters.get(record.counter) ?? 0, record.last));
        break;
    }
  }

  /** Puts the rebuilt messages into their entities; returns how many were restored. */
  restoreInto(namespace: Namespace, logger: BrokerLogger): number {
    let restored = 0;
    for (const [key, messages] of this.messages) {
      const entity = namespace.entityByPath(key);
      if (!entity) {
        if (messages.size > 0) {
          logger.warn('Service Bus journal names an entity the config no longer declares; its messages are dropped', {
            entity: this.paths.get(key),
            count: messages.size,
          });
        }
        continue;
      }
      for (const message of [...messages.values()].sort((a, b) => a.sequenceNumber - b.sequenceNumber)) {
        entity.restore(message);
        namespace.observeSequenceNumber(entity, message.sequenceNumber);
        restored++;
      }
    }
    for (const [key, states] of this.sessionStates) {
      const entity = namespace.entityByPath(key);
      states.forEach((state, sessionId) => entity?.restoreSessionState(sessionId, state));
    }
    this.counters.forEach((last, name) => namespace.counterByName(name)?.observe(last));
    return restored;
  }

  private entity(path: string): Map<number, BrokerMessage> {
    const key = path.toLowerCase();
    let messages = this.messages.get(key);
    if (!messages) {
      messages = new Map();
      this.messages.set(key, messages);
      this.paths.set(key, path);
    }
    return messages;
  }

  private sessionState(path: string, sessionId: string, state: Buffer | undefined): void {
    const key = path.toLowerCase();
    const states = this.sessionStates.get(key) ?? new Map<string, Buffer>();
    this.sessionStates.set(key, states);
    if (state) {
      states.set(sessionId, state);
    } else {
      states.delete(sessionId);
    }
  }
}

/** The live state of a namespace as journal records: counters, every held message, session states. */
export function* snapshotOf(namespace: Namespace): Iterable<JournalRecord> {
  for (const [counter, last] of namespace.sequenceCounters()) {
    yield { kind: 'sequence', counter, last };
  }
  for (const entity of namespace.allEntities()) {
    const messages: BrokerMessage[] = [];
    entity.forEachMessage((message) => messages.push(message));
    for (const message of messages) {
      yield { kind: 'enqueued', entityPath: entity.path, message };
    }
    const states: Array<[string, Buffer]> = [];
    entity.forEachSessionState((sessionId, state) => states.push([sessionId, state]));
    for (const [sessionId, state] of states) {
      yield { kind: 'sessionState', entityPath: entity.path, sessionId, state };
    }
  }
}
