import type { Socket } from 'node:net';

/** An AMQP empty frame (size 8, data offset 2, type 0): a heartbeat, valid any time after open. */
const emptyFrame = Buffer.from([0, 0, 0, 8, 2, 0, 0, 0]);

/**
 * Answers every packet a client sends, so the client's next small write is not held back.
 *
 * The SDK's socket runs with Nagle's algorithm on (rhea-promise never sets TCP_NODELAY; fragility item 9): a
 * small write waits until the previous one is acknowledged. When a frame needs no answer (a flow granting
 * credit with nothing to deliver yet), the kernel delays its acknowledgement up to 40 ms, and a request/reply
 * over one client connection stalls that long. An empty frame written right away carries the acknowledgement.
 * `isOpen` must be true only after the AMQP open exchange: empty frames are not allowed during SASL.
 */
export function acknowledgePromptly(socket: Socket, isOpen: () => boolean): void {
  socket.prependListener('data', () => {
    const written = socket.bytesWritten;
    setImmediate(() => {
      if (!socket.destroyed && socket.writable && socket.bytesWritten === written && isOpen()) {
        socket.write(emptyFrame);
      }
    });
  });
}
