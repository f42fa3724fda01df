import {
  closeSync,
  existsSync,
  fstatSync,
  fsync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { BrokerMessage } from '../entities/message';
import { JournalCorruptError } from '../errors';
import type { BrokerLogger } from '../logger';
import { fromJournalRecord, toJournalRecord, type DecodedRecord, type JournalRecord } from './journalRecords';
import type { MessageJournal } from './messageJournal';

const journalFile = 'servicebus.journal';
const readChunkBytes = 4 * 1024 * 1024;
const syncIntervalMs = 1000;
/** The journal is rewritten from live state once it grows this much past its last snapshot. */
const compactionSlackBytes = 64 * 1024 * 1024;

/**
 * An append-only journal of message changes in one file, rewritten as a snapshot of the live messages at
 * start-up and when it has grown well past that snapshot.
 *
 * Durability: every change a client is told about was written with `write(2)` before the reply (the broker
 * calls `flush` first), so it survives the process stopping or crashing. The file is fsync'ed once a second
 * and on stop, so an operating-system crash or power loss can lose up to the last second of changes.
 */
export class FileJournal implements MessageJournal {
  private pending: Buffer[] = [];
  private fd: number;
  private size: number;
  private snapshotSize: number;
  private unsynced = false;
  private syncing = false;
  private readonly syncTimer: NodeJS.Timeout;
  private snapshotSource: (() => Iterable<JournalRecord>) | undefined;

  private constructor(
    private readonly file: string,
    private readonly logger: BrokerLogger,
  ) {
    this.fd = openSync(file, 'a');
    this.size = fstatSync(this.fd).size;
    this.snapshotSize = this.size;
    this.syncTimer = setInterval(() => this.syncSoon(), syncIntervalMs).unref();
  }

  /**
   * Opens the journal in `directory` (created when missing), passes every record to `replay` in order, and
   * keeps the file open for appending. A record torn by a crash at the end is cut off with a warning.
   */
  static open(directory: string, logger: BrokerLogger, replay: (record: DecodedRecord) => void): FileJournal {
    mkdirSync(directory, { recursive: true });
    const file = path.join(directory, journalFile);
    if (existsSync(file)) {
      readRecords(file, logger, replay);
    }
    return new FileJournal(file, logger);
  }

  /** Where the snapshot of live state comes from when the journal is rewritten. */
  setSnapshotSource(source: () => Iterable<JournalRecord>): void {
    this.snapshotSource = source;
  }

  enqueued(entityPath: string, message: BrokerMessage): void {
    this.append({ kind: 'enqueued', entityPath, message });
  }

  updated(entityPath: string, message: BrokerMessage, contentChanged: boolean): void {
    this.append({ kind: 'updated', entityPath, message, contentChanged });
  }

  removed(entityPath: string, sequenceNumber: number): void {
    this.append({ kind: 'removed', entityPath, sequenceNumber });
  }

  sessionStateSet(entityPath: string, sessionId: string, state: Buffer | undefined): void {
    this.append({ kind: 'sessionState', entityPath, sessionId, state });
  }

  /** Writes buffered records to the file (not yet fsync'ed); compacts when the file has grown enough. */
  flush(): void {
    if (this.pending.length === 0) {
      return;
    }
    const bytes = this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending);
    this.pending = [];
    writeSync(this.fd, bytes);
    this.size += bytes.length;
    this.unsynced = true;
    if (this.size > this.snapshotSize * 2 + compactionSlackBytes) {
      this.compact();
    }
  }

  /** Rewrites the file as a snapshot of live state: written aside, fsync'ed, then renamed over the journal. */
  compact(): void {
    if (!this.snapshotSource) {
      return;
    }
    this.flushPendingOnly();
    const temporary = `${this.file}.tmp`;
    const fd = openSync(temporary, 'w');
    let written = 0;
    let batch: Buffer[] = [];
    let batchBytes = 0;
    for (const record of this.snapshotSource()) {
      const bytes = toJournalRecord(record);
      batch.push(bytes);
      batchBytes += bytes.length;
      if (batchBytes > readChunkBytes) {
        written += writeSync(fd, Buffer.concat(batch));
        batch = [];
        batchBytes = 0;
      }
    }
    written += batch.length > 0 ? writeSync(fd, Buffer.concat(batch)) : 0;
    fsyncSync(fd);
    closeSync(fd);
    closeSync(this.fd);
    renameSync(temporary, this.file);
    this.fd = openSync(this.file, 'a');
    this.size = written;
    this.snapshotSize = written;
    this.unsynced = false;
    this.logger.debug('Service Bus journal compacted', { bytes: written });
  }

  /** Flushes, fsyncs and closes the file. */
  close(): void {
    clearInterval(this.syncTimer);
    this.flushPendingOnly();
    fsyncSync(this.fd);
    closeSync(this.fd);
  }

  private append(record: JournalRecord): void {
    this.pending.push(toJournalRecord(record));
  }

  private flushPendingOnly(): void {
    if (this.pending.length > 0) {
      const bytes = Buffer.concat(this.pending);
      this.pending = [];
      writeSync(this.fd, bytes);
      this.size += bytes.length;
      this.unsynced = true;
    }
  }

  private syncSoon(): void {
    this.flush();
    if (!this.unsynced || this.syncing) {
      return;
    }
    this.unsynced = false;
    this.syncing = true;
    const fd = this.fd;
    fsync(fd, (error) => {
      this.syncing = false;
      if (error && fd === this.fd) {
        this.logger.warn('Service Bus journal fsync failed', { error: error.message });
      }
    });
  }
}

function readRecords(file: string, logger: BrokerLogger, replay: (record: DecodedRecord) => void): void {
  const fd = openSync(file, 'r+');
  try {
    let carry = Buffer.alloc(0);
    let fileOffset = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(readChunkBytes);
      const read = readSync(fd, chunk, 0, chunk.length, fileOffset);
      if (read === 0) {
        break;
      }
      fileOffset += read;
      const buffer = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, read)]) : chunk.subarray(0, read);
      const consumed = replayBuffer(buffer, file, fileOffset - buffer.length, replay);
      carry = Buffer.from(buffer.subarray(consumed));
    }
    if (carry.length > 0) {
      logger.warn('Service Bus journal ended in a torn record; cutting it off', { bytes: carry.length });
      ftruncateSync(fd, fileOffset - carry.length);
    }
  } finally {
    closeSync(fd);
  }
}

function replayBuffer(
  buffer: Buffer,
  file: string,
  startOffset: number,
  replay: (record: DecodedRecord) => void,
): number {
  let offset = 0;
  for (;;) {
    const result = fromJournalRecord(buffer, offset);
    if (result.status === 'incomplete') {
      return offset;
    }
    if (result.status === 'corrupt') {
      throw new JournalCorruptError(file, startOffset + offset, result.problem);
    }
    replay(result.record);
    offset = result.next;
  }
}
