import { containers } from '../names';
import type { Storage } from '../storage';
import { readContentJob, readImageJob, recordJob, type ThumbnailSize, type ThumbnailStatus } from './jobStore';
import { contentHash, contentTypeOf, makeThumbnails, type ThumbnailOptions } from './pipeline';

/** What processing an upload did: made thumbnails, reused earlier work for the same content, or skipped a repeat. */
export type UploadResult = {
  action: 'made' | 'copied' | 'unchanged';
  status: Exclude<ThumbnailStatus, { status: 'pending' }>;
};

/** Where a thumbnail of an image goes: `<size>/<name>` in the thumbnails container. */
export function thumbnailBlobName(size: number, name: string): string {
  return `${size}/${name}`;
}

/**
 * Processes an uploaded image once per content: the same bytes under the same name do nothing; the same bytes under a
 * new name copy the thumbnails already made (or the rejection) instead of decoding again.
 */
export async function processUpload(
  storage: Storage,
  name: string,
  data: Buffer,
  options: ThumbnailOptions,
): Promise<UploadResult> {
  const hash = contentHash(data);
  const [previous, known] = await Promise.all([readImageJob(storage, name), readContentJob(storage, hash)]);
  if (previous !== undefined && previous.status !== 'pending' && previous.contentHash === hash) {
    return { action: 'unchanged', status: previous };
  }

  if (known !== undefined && known.status !== 'pending' && sameSizes(known, options.sizes)) {
    const status = known.status === 'done' ? { ...known, sizes: await copyThumbnails(storage, known, name) } : known;
    const { sourceName: _source, ...recorded } = status;
    await recordJob(storage, name, recorded);
    return { action: 'copied', status: recorded };
  }

  const outcome = await makeThumbnails(data, options);
  if (!outcome.ok) {
    const status = { status: 'rejected' as const, contentHash: hash, reason: `${outcome.code}: ${outcome.reason}` };
    await recordJob(storage, name, status);
    return { action: 'made', status };
  }
  const thumbnails = storage.container(containers.thumbnails);
  const sizes: ThumbnailSize[] = await Promise.all(
    outcome.thumbnails.map(async (thumbnail) => {
      const blobName = thumbnailBlobName(thumbnail.size, name);
      await thumbnails.getBlockBlobClient(blobName).uploadData(thumbnail.data, {
        blobHTTPHeaders: { blobContentType: contentTypeOf(outcome.format) },
      });
      return { size: thumbnail.size, width: thumbnail.width, height: thumbnail.height, blobName };
    }),
  );
  const status = { status: 'done' as const, contentHash: hash, sizes };
  await recordJob(storage, name, status);
  return { action: 'made', status };
}

function sameSizes(known: ThumbnailStatus, sizes: number[]): boolean {
  return known.status !== 'done' || known.sizes.map((entry) => entry.size).join(',') === sizes.join(',');
}

// Thumbnails are small: downloading and uploading them is cheaper than decoding the source again, and needs no SAS.
async function copyThumbnails(
  storage: Storage,
  known: { sizes: ThumbnailSize[] },
  name: string,
): Promise<ThumbnailSize[]> {
  const thumbnails = storage.container(containers.thumbnails);
  const copies: ThumbnailSize[] = [];
  for (const entry of known.sizes) {
    const source = thumbnails.getBlockBlobClient(entry.blobName);
    const data = await source.downloadToBuffer();
    const properties = await source.getProperties();
    const blobName = thumbnailBlobName(entry.size, name);
    await thumbnails.getBlockBlobClient(blobName).uploadData(data, {
      blobHTTPHeaders: { blobContentType: properties.contentType ?? 'application/octet-stream' },
    });
    copies.push({ ...entry, blobName });
  }
  return copies;
}
