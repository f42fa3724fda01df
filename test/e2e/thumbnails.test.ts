import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { startLocalPlatform, waitFor, type LocalPlatform } from './platform';

let platform: LocalPlatform;

beforeAll(async () => {
  platform = await startLocalPlatform();
});

afterAll(async () => {
  await platform?.stop();
});

interface ThumbnailBody {
  status: string;
  sizes?: { size: number; width: number; height: number; blobName: string }[];
  reason?: string;
}

async function upload(name: string, data: Buffer): Promise<void> {
  await platform.storage.container('images').getBlockBlobClient(name).uploadData(data);
}

async function finished(name: string): Promise<ThumbnailBody> {
  return waitFor(`thumbnails of ${name}`, async () => {
    const response = await platform.call('GET', `thumbnails/${name}`);
    const body = response.body as ThumbnailBody;
    return response.status === 200 && body.status !== 'pending' ? body : undefined;
  });
}

describe('thumbnails end to end', () => {
  it('makes three thumbnails by longest edge in the source format, with EXIF orientation applied', async () => {
    const photo = await sharp({
      create: { width: 1600, height: 1200, channels: 3, background: { r: 20, g: 120, b: 200 } },
    })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();

    await upload('photos/cat.jpg', photo);
    const body = await finished('photos/cat.jpg');

    expect(body.status).toBe('done');
    expect(body.sizes?.map(({ size, width, height }) => [size, width, height])).toEqual([
      [64, 48, 64],
      [256, 192, 256],
      [1024, 768, 1024],
    ]);
    const thumbnail = await platform.storage
      .container('thumbnails')
      .getBlockBlobClient('256/photos/cat.jpg')
      .downloadToBuffer();
    const metadata = await sharp(thumbnail).metadata();
    expect(metadata).toMatchObject({ format: 'jpeg', width: 192, height: 256 });
    expect(metadata.exif).toBeUndefined();
  });

  it('rejects a non-image and a pixel bomb with their reasons, and the host keeps working', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: 'white' } })
      .png()
      .toBuffer();
    const bomb = Buffer.from(png);
    bomb.writeUInt32BE(50_000, 16);
    bomb.writeUInt32BE(50_000, 20);
    bomb.writeUInt32BE(crc32(bomb.subarray(12, 29)), 29);

    await upload('notes.txt', Buffer.from('just some text'));
    await upload('bomb.png', bomb);

    expect(await finished('notes.txt')).toMatchObject({
      status: 'rejected',
      reason: expect.stringMatching(/^unsupportedFormat: /) as string,
    });
    expect(await finished('bomb.png')).toMatchObject({
      status: 'rejected',
      reason: 'tooManyPixels: expected at most 40000000 pixels, received 50000 × 50000 = 2500000000',
    });
    expect((await platform.call('GET', 'health')).status).toBe(200);
  });

  it('does no work twice for the same content under another name', async () => {
    const image = await sharp({ create: { width: 300, height: 100, channels: 4, background: 'red' } })
      .webp()
      .toBuffer();

    await upload('a.webp', image);
    await finished('a.webp');
    await upload('b.webp', image);
    const copy = await finished('b.webp');

    expect(copy.sizes?.map((entry) => entry.blobName)).toEqual(['64/b.webp', '256/b.webp', '1024/b.webp']);
    expect(
      platform.durable.logs.some(
        (record) => record.message.includes('Thumbnails ready') && JSON.stringify(record).includes('copied'),
      ),
    ).toBe(true);
  });

  it('answers 404 for an image that was never uploaded', async () => {
    expect((await platform.call('GET', 'thumbnails/missing.png')).status).toBe(404);
  });
});
