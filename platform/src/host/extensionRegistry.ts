import { BlobExtension } from '../bindings/blob/blobExtension';
import { QueueExtension } from '../triggers/queue/queueExtension';
import type { Extension } from './extension';

/**
 * The binding extensions every host loads, in start order. Each factory returns a fresh instance so several
 * hosts can live in one process (tests).
 */
export function createDefaultExtensions(): Extension[] {
  return [new QueueExtension(), new BlobExtension()];
}
