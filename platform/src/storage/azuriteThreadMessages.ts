import type { AzuritePorts } from './azurite';
import type { BlobWrite, QueueArrival } from './emulatorEvents';

/** Messages from the Azurite worker thread to the thread that started it. */
export type FromAzuriteThread =
  | { kind: 'ready'; host: string; ports: AzuritePorts; location: string | undefined }
  | { kind: 'failed'; message: string; code: string | undefined }
  | { kind: 'queue'; arrival: QueueArrival }
  | { kind: 'blob'; write: BlobWrite }
  | { kind: 'closed' };

/** Messages to the Azurite worker thread. */
export type ToAzuriteThread = { kind: 'close' };
