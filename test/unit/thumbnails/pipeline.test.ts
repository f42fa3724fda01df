import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { contentHash, makeThumbnails, sniffFormat, type ImageFormat } from '../../../lib/thumbnails/pipeline';

const options = { sizes: [16, 64], maxInputBytes: 5_000_000, maxInputPixels: 4_000_000 };

async function image(format: ImageFormat, width: number, height: number, exifOrientation?: number): Promise<Buffer> {
  let pipeline = sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } }).toFormat(
    format,
  );
  if (exifOrientation !== undefined) {
    pipeline = pipeline.withMetadata({ orientation: exifOrientation });
  }
  return pipeline.toBuffer();
}

/** A small PNG whose header claims another size (a decompression bomb stand-in that costs nothing to build). */
async function pngClaiming(png: Buffer, width: number, height: number): Promise<Buffer> {
  const patched = Buffer.from(png);
  // IHDR starts at byte 8: length (4), type (4), width (4), height (4), 5 more bytes, then the CRC of type + data.
  patched.writeUInt32BE(width, 16);
  patched.writeUInt32BE(height, 20);
  patched.writeUInt32BE(crc32(patched.subarray(12, 29)), 29);
  return Promise.resolve(patched);
}

describe('makeThumbnails', () => {
  it.each<ImageFormat>(['jpeg', 'png', 'webp', 'gif'])(
    'makes one %s thumbnail per size, by longest edge, in the source format',
    async (format) => {
      const result = await makeThumbnails(await image(format, 200, 100), options);

      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.format).toBe(format);
      expect(result.thumbnails.map(({ size, width, height }) => ({ size, width, height }))).toEqual([
        { size: 16, width: 16, height: 8 },
        { size: 64, width: 64, height: 32 },
      ]);
      for (const thumbnail of result.thumbnails) {
        expect((await sharp(thumbnail.data).metadata()).format).toBe(format);
      }
    },
  );

  it('applies the EXIF orientation and strips the metadata', async () => {
    // Orientation 6 = rotate 90° clockwise to display: a 200 × 100 file shows as 100 × 200.
    const result = await makeThumbnails(await image('jpeg', 200, 100, 6), options);

    expect(result.ok && result.thumbnails[1]).toMatchObject({ width: 32, height: 64 });
    const metadata = result.ok ? await sharp(result.thumbnails[1]?.data).metadata() : undefined;
    expect(metadata?.orientation).toBeUndefined();
    expect(metadata?.exif).toBeUndefined();
  });

  it('never enlarges an image smaller than a size', async () => {
    const result = await makeThumbnails(await image('png', 20, 10), options);

    expect(result.ok && result.thumbnails.map((t) => [t.width, t.height])).toEqual([
      [16, 8],
      [20, 10],
    ]);
  });

  it('takes the first frame of an animated GIF', async () => {
    const red = await image('png', 40, 20);
    const blue = await sharp({ create: { width: 40, height: 20, channels: 3, background: 'blue' } })
      .png()
      .toBuffer();
    const animation = await sharp([red, blue], { join: { animated: true } })
      .gif()
      .toBuffer();

    const result = await makeThumbnails(animation, options);

    expect(result.ok && result.thumbnails[1]).toMatchObject({ width: 40, height: 20 });
    const frame = result.ok ? await sharp(result.thumbnails[1]?.data).raw().toBuffer() : Buffer.alloc(0);
    expect(frame[0]).toBeGreaterThan(150);
  });

  it('rejects a file that is not an image, saying what it expected and received', async () => {
    const result = await makeThumbnails(Buffer.from('%PDF-1.7 not an image'), options);

    expect(result).toEqual({
      ok: false,
      code: 'unsupportedFormat',
      reason: 'expected a JPEG, PNG, WebP or GIF image, received a file starting with bytes 255044462d312e37',
    });
  });

  it('rejects a corrupt image without throwing', async () => {
    const jpeg = await image('jpeg', 300, 300);
    const damaged = Buffer.concat([jpeg.subarray(0, 200), Buffer.alloc(200, 7)]);

    const result = await makeThumbnails(damaged, options);

    expect(result).toMatchObject({ ok: false, code: 'corrupt' });
  });

  it('rejects a pixel bomb from its header, before decoding it', async () => {
    const bomb = await pngClaiming(await image('png', 8, 8), 10_000, 10_000);

    const result = await makeThumbnails(bomb, options);

    expect(result).toEqual({
      ok: false,
      code: 'tooManyPixels',
      reason: 'expected at most 4000000 pixels, received 10000 × 10000 = 100000000',
    });
  });

  it('rejects a file over the byte limit', async () => {
    const result = await makeThumbnails(Buffer.alloc(11), { ...options, maxInputBytes: 10 });

    expect(result).toEqual({ ok: false, code: 'tooLarge', reason: 'expected at most 10 bytes, received 11' });
  });
});

describe('sniffFormat and contentHash', () => {
  it('recognises formats by their magic bytes only', async () => {
    expect(sniffFormat(await image('webp', 4, 4))).toBe('webp');
    expect(sniffFormat(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
  });

  it('hashes equal content equally', () => {
    expect(contentHash(Buffer.from('a'))).toBe(contentHash(Buffer.from('a')));
    expect(contentHash(Buffer.from('a'))).not.toBe(contentHash(Buffer.from('b')));
  });
});
