import { randomInt } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { ContainerClient } from '@azure/storage-blob';
import type { TableRow } from './historyEntity';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * String table properties above this many UTF-16 bytes go to a blob: Azure Tables allow 64 KiB per string
 * property and DTFx keeps a 4 KiB margin (`MaxTablePropertySizeInBytes`).
 */
export const maxTablePropertyBytes = 60 * 1024;

/** Suffix of the column naming the blob that holds an offloaded property. */
export const blobNameSuffix = 'BlobName';

/** Names of the string properties of a row too large to store inline. */
export function findOversizedProperties(row: TableRow): string[] {
  return Object.entries(row)
    .filter(([key, value]) => typeof value === 'string' && key !== 'partitionKey' && key !== 'rowKey')
    .filter(([, value]) => (value as string).length * 2 > maxTablePropertyBytes)
    .map(([key]) => key);
}

/** Blob name for an offloaded history property, as DTFx's tracking store names it. */
export function toHistoryPropertyBlobName(row: TableRow, property: string): string {
  const random = randomInt(0, 0x7fffffff).toString(16).toUpperCase().padStart(8, '0');
  const eventType = typeof row.EventType === 'string' ? row.EventType : String(row.EventType);
  return `${row.partitionKey}/history-${row.rowKey}-${eventType}-${random}-${property}.json.gz`;
}

/** Blob name for an offloaded Instances property; one per execution and property, overwritten on change. */
export function toInstancePropertyBlobName(row: TableRow, property: string): string {
  return `${row.partitionKey}/instance-${String(row.ExecutionId)}-${property}.json.gz`;
}

/** Gzip-compressed JSON payloads in the task hub's large-message container. */
export class LargePayloadStore {
  constructor(readonly container: ContainerClient) {}

  /** Uploads `text` gzip-compressed. */
  async upload(blobName: string, text: string): Promise<void> {
    const body = await gzipAsync(Buffer.from(text, 'utf8'));
    await this.container.getBlockBlobClient(blobName).uploadData(body, {
      blobHTTPHeaders: { blobContentType: 'application/json', blobContentEncoding: 'gzip' },
    });
  }

  /** Downloads and decompresses a payload. */
  async download(blobName: string): Promise<string> {
    const body = await this.container.getBlockBlobClient(blobName).downloadToBuffer();
    return (await gunzipAsync(body)).toString('utf8');
  }

  /** Deletes a payload; missing blobs are fine (a retried delete). */
  async delete(blobName: string): Promise<void> {
    await this.container.getBlockBlobClient(blobName).deleteIfExists();
  }

  /** Deletes every payload under a prefix (an instance's folder); returns how many. */
  async deletePrefix(prefix: string): Promise<number> {
    let count = 0;
    for await (const blob of this.container.listBlobsFlat({ prefix })) {
      await this.delete(blob.name);
      count++;
    }
    return count;
  }

  /** Moves oversized string properties of a row to blobs, leaving "" and a `<Prop>BlobName` column. */
  async offloadProperties(row: TableRow, nameFor: (row: TableRow, property: string) => string): Promise<void> {
    const oversized = findOversizedProperties(row);
    await Promise.all(
      oversized.map(async (property) => {
        const blobName = nameFor(row, property);
        await this.upload(blobName, row[property] as string);
        row[property] = '';
        row[`${property}${blobNameSuffix}`] = blobName;
      }),
    );
  }

  /** Restores properties a row keeps in blobs, removing the `<Prop>BlobName` columns. */
  async restoreProperties(row: TableRow): Promise<void> {
    const columns = Object.keys(row).filter((key) => key.endsWith(blobNameSuffix) && typeof row[key] === 'string');
    await Promise.all(
      columns.map(async (column) => {
        const property = column.slice(0, -blobNameSuffix.length);
        row[property] = await this.download(row[column] as string);
        delete row[column];
      }),
    );
  }
}
