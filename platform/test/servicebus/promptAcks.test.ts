import { createServer, connect, type Socket } from 'node:net';
import { acknowledgePromptly } from '../../src/servicebus/server/promptAcks';
import { waitFor } from '../helpers/waitFor';

async function socketPair(onServerSocket: (socket: Socket) => void): Promise<{ client: Socket; close(): void }> {
  const server = createServer(onServerSocket);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const client = connect(port, '127.0.0.1');
  await new Promise((resolve) => client.once('connect', resolve));
  return {
    client,
    close: () => {
      client.destroy();
      server.close();
    },
  };
}

describe('prompt acknowledgements', () => {
  it('answers a packet that got no response with an AMQP empty frame, once the connection is open', async () => {
    let open = false;
    const pair = await socketPair((socket) => {
      acknowledgePromptly(socket, () => open);
      socket.on('data', () => undefined); // the broker's reader, which answers nothing here
    });
    const received: Buffer[] = [];
    pair.client.on('data', (chunk: Buffer) => received.push(chunk));
    try {
      pair.client.write('sasl phase');
      open = true;
      pair.client.write('flow');
      await waitFor('an empty frame', () => Buffer.concat(received).length >= 8);
      expect(Buffer.concat(received).toString('hex')).toMatch(/^(0000000802000000)+$/);
    } finally {
      pair.close();
    }
  });

  it('stays silent when the broker already answered the packet', async () => {
    const pair = await socketPair((socket) => {
      acknowledgePromptly(socket, () => true);
      socket.on('data', () => socket.write('answer'));
    });
    const received: Buffer[] = [];
    pair.client.on('data', (chunk: Buffer) => received.push(chunk));
    try {
      pair.client.write('transfer');
      await waitFor('the answer', () => Buffer.concat(received).toString() === 'answer');
      pair.client.write('another');
      await waitFor('the second answer', () => Buffer.concat(received).toString() === 'answeranswer');
    } finally {
      pair.close();
    }
  });
});
