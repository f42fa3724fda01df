import { BlobExtension } from '../bindings/blob/blobExtension';
import { BlobTriggerExtension } from '../triggers/blob/blobTriggerExtension';
import { QueueExtension } from '../triggers/queue/queueExtension';
import { TimerTriggerExtension } from '../triggers/timer/timerExtension';
import { HttpTriggerExtension } from '../triggers/http/httpTriggerExtension';
import { DurableExtension } from '../durable/durableExtension';
import type { Extension } from './extension';

/**
 * The binding extensions every host loads, in start order. Each factory returns a fresh instance so several
 * hosts can live in one process (tests).
 */
export function createDefaultExtensions(): Extension[] {
  return [
    new HttpTriggerExtension(),
    new QueueExtension(),
    new BlobExtension(),
    new BlobTriggerExtension(),
    new TimerTriggerExtension(),
    new DurableExtension(),
  ];
}
