import type { TableClient } from '@azure/data-tables';
import { tables } from '../names';
import type { Storage } from '../storage';
import { getEntityOrUndefined } from '../storageErrors';

/** Where an uploaded image stands. */
export type ThumbnailStatus =
  | { status: 'pending' }
  | { status: 'done'; contentHash: string; sizes: ThumbnailSize[] }
  | { status: 'rejected'; contentHash: string; reason: string };

/** One made thumbnail: its requested size, actual dimensions and blob name in the thumbnails container. */
export interface ThumbnailSize {
  size: number;
  width: number;
  height: number;
  blobName: string;
}

interface JobEntity {
  status: 'done' | 'rejected';
  contentHash: string;
  sizes?: string;
  reason?: string;
  sourceName?: string;
}

const imagePartition = 'image';
const contentPartition = 'content';

/** Row keys cannot hold '/', '\', '#' or '?', which blob names may: encode them. */
export function toRowKey(name: string): string {
  return encodeURIComponent(name);
}

/** The recorded result for an image name, if it was processed. */
export async function readImageJob(storage: Storage, name: string): Promise<ThumbnailStatus | undefined> {
  return read(storage.table(tables.thumbnailJobs), imagePartition, toRowKey(name));
}

/** The recorded result for a content hash (any name), with the name it was first made for. */
export async function readContentJob(
  storage: Storage,
  hash: string,
): Promise<(ThumbnailStatus & { sourceName: string }) | undefined> {
  const table = storage.table(tables.thumbnailJobs);
  const entity = await getEntityOrUndefined(() => table.getEntity<JobEntity>(contentPartition, hash));
  const status = entity && fromJobEntity(entity);
  return status && entity?.sourceName !== undefined ? { ...status, sourceName: entity.sourceName } : undefined;
}

/** Records the result for an image name and, the first time, for its content. */
export async function recordJob(
  storage: Storage,
  name: string,
  status: Exclude<ThumbnailStatus, { status: 'pending' }>,
): Promise<void> {
  const table = storage.table(tables.thumbnailJobs);
  const entity = toJobEntity(status);
  // The content row first: once the image row says done, a copy for the same content must find the thumbnails.
  await table.upsertEntity(
    { partitionKey: contentPartition, rowKey: status.contentHash, ...entity, sourceName: name },
    'Merge',
  );
  await table.upsertEntity({ partitionKey: imagePartition, rowKey: toRowKey(name), ...entity }, 'Replace');
}

async function read(table: TableClient, partitionKey: string, rowKey: string): Promise<ThumbnailStatus | undefined> {
  const entity = await getEntityOrUndefined(() => table.getEntity<JobEntity>(partitionKey, rowKey));
  return entity && fromJobEntity(entity);
}

/** Translates a status into its table columns. */
export function toJobEntity(status: Exclude<ThumbnailStatus, { status: 'pending' }>): JobEntity {
  return status.status === 'done'
    ? { status: 'done', contentHash: status.contentHash, sizes: JSON.stringify(status.sizes) }
    : { status: 'rejected', contentHash: status.contentHash, reason: status.reason };
}

/** Translates table columns back into a status. */
export function fromJobEntity(entity: JobEntity): ThumbnailStatus {
  return entity.status === 'done'
    ? { status: 'done', contentHash: entity.contentHash, sizes: JSON.parse(entity.sizes ?? '[]') as ThumbnailSize[] }
    : { status: 'rejected', contentHash: entity.contentHash, reason: entity.reason ?? 'unknown' };
}
