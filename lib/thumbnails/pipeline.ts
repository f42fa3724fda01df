import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import { Semaphore } from '../semaphore';

// Each invocation decodes one image; libvips' operation cache would only hold memory between uploads.
sharp.cache(false);

// The blob trigger runs many invocations at once (8 per core by default); decoding more images than there are
// cores at a time only makes them compete for CPU and memory, so the resizing itself takes turns.
const decoders = new Semaphore(availableParallelism());

/** Image formats the app makes thumbnails of; each thumbnail keeps its source's format. */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif';

/** Why an upload got no thumbnails. */
export type RejectionCode = 'tooLarge' | 'unsupportedFormat' | 'corrupt' | 'tooManyPixels';

/** One thumbnail, ready to upload. */
export interface Thumbnail {
  size: number;
  width: number;
  height: number;
  data: Buffer;
}

/** What the pipeline made of an upload. */
export type ThumbnailOutcome =
  | { ok: true; format: ImageFormat; width: number; height: number; thumbnails: Thumbnail[] }
  | { ok: false; code: RejectionCode; reason: string };

/** Limits and sizes the pipeline applies. */
export interface ThumbnailOptions {
  /** Longest edge of each thumbnail, in pixels. */
  sizes: number[];
  maxInputBytes: number;
  maxInputPixels: number;
}

/** The content hash used to recognise an upload seen before (sha256, hex). */
export function contentHash(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Tells the format from the file's first bytes, so non-images are refused before any decoder sees them. */
export function sniffFormat(data: Buffer): ImageFormat | undefined {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) {
    return 'jpeg';
  }
  if (data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return 'png';
  }
  if (data.subarray(0, 4).toString('latin1') === 'RIFF' && data.subarray(8, 12).toString('latin1') === 'WEBP') {
    return 'webp';
  }
  if (/^GIF8[79]a$/.test(data.subarray(0, 6).toString('latin1'))) {
    return 'gif';
  }
  return undefined;
}

/**
 * Makes one thumbnail per size (longest edge, never enlarged): EXIF orientation applied, the first frame of an
 * animation, format kept, metadata stripped (sharp drops it unless asked to keep it). Bytes and pixels are checked
 * before decoding — pixels from the header — so a pixel bomb is refused without allocating its pixels.
 */
export async function makeThumbnails(data: Buffer, options: ThumbnailOptions): Promise<ThumbnailOutcome> {
  if (data.length > options.maxInputBytes) {
    return reject('tooLarge', `expected at most ${options.maxInputBytes} bytes, received ${data.length}`);
  }
  const format = sniffFormat(data);
  if (format === undefined) {
    return reject('unsupportedFormat', `expected a JPEG, PNG, WebP or GIF image, received ${describeStart(data)}`);
  }

  const header = await readHeader(data);
  if (header === undefined) {
    return reject('corrupt', `expected a readable ${format.toUpperCase()} header, received a damaged file`);
  }
  const pixels = header.width * header.height;
  if (pixels > options.maxInputPixels) {
    return reject(
      'tooManyPixels',
      `expected at most ${options.maxInputPixels} pixels, received ${header.width} × ${header.height} = ${pixels}`,
    );
  }

  try {
    const thumbnails = await decoders.run(() => resizeAll(data, format, options));
    return { ok: true, format, width: header.width, height: header.height, thumbnails };
  } catch (error) {
    return reject('corrupt', `expected a decodable ${format.toUpperCase()} image: ${(error as Error).message}`);
  }
}

async function readHeader(data: Buffer): Promise<{ width: number; height: number } | undefined> {
  try {
    const metadata = await sharp(data, { limitInputPixels: false }).metadata();
    // For animations `height` covers every frame; one frame is `pageHeight`.
    const height = metadata.pageHeight ?? metadata.height;
    return metadata.width && height ? { width: metadata.width, height } : undefined;
  } catch {
    return undefined;
  }
}

async function resizeAll(data: Buffer, format: ImageFormat, options: ThumbnailOptions): Promise<Thumbnail[]> {
  const source = sharp(data, { limitInputPixels: options.maxInputPixels, failOn: 'error', pages: 1 }).rotate();
  const thumbnails: Thumbnail[] = [];
  for (const size of options.sizes) {
    const { data: output, info } = await source
      .clone()
      .resize({ width: size, height: size, fit: 'inside', withoutEnlargement: true })
      .toFormat(format)
      .toBuffer({ resolveWithObject: true });
    thumbnails.push({ size, width: info.width, height: info.height, data: output });
  }
  return thumbnails;
}

function reject(code: RejectionCode, reason: string): ThumbnailOutcome {
  return { ok: false, code, reason };
}

function describeStart(data: Buffer): string {
  if (data.length === 0) {
    return 'an empty file';
  }
  return `a file starting with bytes ${data.subarray(0, 8).toString('hex')}`;
}

/** The content type of a format, for uploaded thumbnails. */
export function contentTypeOf(format: ImageFormat): string {
  return `image/${format}`;
}
