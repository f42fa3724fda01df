import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { readConfig } from '../lib/config';
import { jsonError } from '../lib/http';
import { loggerFor } from '../lib/log';
import { containers, settings } from '../lib/names';
import { getStorage } from '../lib/storage';
import { isNotFound } from '../lib/storageErrors';
import { readImageJob } from '../lib/thumbnails/jobStore';
import { processUpload } from '../lib/thumbnails/processUpload';

/** Makes the thumbnails of an image uploaded to `images`; a rejected upload is recorded, never thrown. */
export async function makeImageThumbnails(blob: unknown, context: InvocationContext): Promise<void> {
  const name = typeof context.triggerMetadata?.name === 'string' ? context.triggerMetadata.name : '';
  const data = Buffer.isBuffer(blob) ? blob : Buffer.from(blob as ArrayBuffer);
  const config = readConfig();
  const result = await processUpload(getStorage(), name, data, {
    sizes: config.thumbnailSizes,
    maxInputBytes: config.thumbnailMaxInputBytes,
    maxInputPixels: config.thumbnailMaxInputPixels,
  });
  const logger = loggerFor(context);
  if (result.status.status === 'rejected') {
    logger.warn('Image rejected', { name, reason: result.status.reason });
  } else {
    logger.info('Thumbnails ready', { name, action: result.action, sizes: result.status.sizes.length });
  }
}

/** `GET /api/thumbnails/{name}`: pending (uploaded, not processed yet), done with sizes, or rejected with reason. */
export async function getThumbnailStatus(request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> {
  const name = request.params.name ?? '';
  const storage = getStorage();
  const job = await readImageJob(storage, name);
  if (job !== undefined) {
    return { status: 200, jsonBody: { name, ...job } };
  }
  try {
    await storage.container(containers.images).getBlobClient(name).getProperties();
  } catch (error) {
    if (isNotFound(error)) {
      return jsonError(
        404,
        'ImageNotFound',
        `expected an image named '${name}' in container '${containers.images}', found none`,
      );
    }
    throw error;
  }
  return { status: 200, jsonBody: { name, status: 'pending' } };
}

// Flex Consumption supports only Event Grid blob triggers (functions-host reference, section 4.1); the local
// platform fires Event Grid-source functions from its own scan.
app.storageBlob('imagesBlob', {
  path: `${containers.images}/{name}`,
  connection: settings.storageConnection,
  source: 'EventGrid',
  handler: makeImageThumbnails,
});

app.http('getThumbnailStatus', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'thumbnails/{*name}',
  handler: getThumbnailStatus,
});
