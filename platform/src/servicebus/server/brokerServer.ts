import type { AddressInfo, Server, Socket } from 'node:net';
import { create_container, type Connection, type Container, type EventContext } from 'rhea';
import { ClientConnection, type BrokerContext } from './clientConnection';
import { acknowledgePromptly } from './promptAcks';
import { destroyTransport, socketOf } from './rheaInternals';

/** How often the clock runs: lock, session and TTL expiry, scheduled messages, journal flush. */
const tickIntervalMs = 100;
/** Time given to close frames to reach clients before their sockets are destroyed on stop. */
const closeGraceMs = 50;

/**
 * The AMQP listener: one rhea container serving plain TCP with SASL ANONYMOUS (real authorization is the
 * `$cbs` token exchange), routing each connection's link events to its ClientConnection.
 */
export class BrokerServer {
  private readonly container: Container;
  private readonly clients = new Map<Connection, ClientConnection>();
  private readonly sockets = new Set<Socket>();
  /** Sockets past the AMQP open exchange. */
  private readonly openSockets = new WeakSet<Socket>();
  private server: Server | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private nextConnectionId = 1;

  constructor(private readonly context: BrokerContext) {
    this.container = create_container({
      id: 'local-servicebus',
      // Settlement is the broker's decision, after journalling: no auto-accept; credit is granted explicitly.
      receiver_options: { autoaccept: false, credit_window: 0 },
      sender_options: { treat_modified_as_released: false },
    });
    this.registerHandlers();
  }

  /** Starts listening; resolves with the bound port (useful with port 0). */
  async listen(host: string, port: number): Promise<number> {
    const server = this.container.listen({ host, port, tcp_no_delay: true } as Parameters<Container['listen']>[0]);
    this.server = server;
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      acknowledgePromptly(socket, () => this.openSockets.has(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    this.ticker = setInterval(() => this.tick(), tickIntervalMs).unref();
    return (server.address() as AddressInfo).port;
  }

  /** Closes every connection with `amqp:connection:forced` (the SDK reconnects), then the listener. */
  async close(): Promise<void> {
    clearInterval(this.ticker);
    const server = this.server;
    const closed = server ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    for (const client of this.clients.values()) {
      client.connection.close({ condition: 'amqp:connection:forced', description: 'The Service Bus broker stopped.' });
    }
    await new Promise((resolve) => setTimeout(resolve, closeGraceMs));
    for (const [connection, client] of this.clients) {
      client.onClose();
      destroyTransport(connection);
    }
    this.clients.clear();
    for (const socket of this.sockets) {
      socket.destroy();
    }
    await closed;
    this.context.journal.flush();
  }

  private tick(): void {
    try {
      this.context.namespace.tick(Date.now());
      this.context.journal.flush();
    } catch (error) {
      this.context.logger.error('Service Bus clock failed', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private registerHandlers(): void {
    const container = this.container;
    container.on('connection_open', (event: EventContext) => {
      const id = `connection-${this.nextConnectionId++}`;
      this.clients.set(event.connection, new ClientConnection(event.connection, id, this.context));
      const socket = socketOf(event.connection);
      if (socket) {
        this.openSockets.add(socket);
      }
      this.context.logger.debug('Service Bus connection opened', { connection: id });
    });
    container.on('sender_open', (event: EventContext) => {
      const sender = event.sender;
      if (sender) {
        this.guard(event, (client) => client.onSenderOpen(sender));
      }
    });
    container.on('receiver_open', (event: EventContext) => {
      const receiver = event.receiver;
      if (receiver) {
        this.guard(event, (client) => client.onReceiverOpen(receiver));
      }
    });
    container.on('session_close', (event: EventContext) => {
      if (event.session) {
        this.clients.get(event.connection)?.onSessionClose(event.session);
      }
    });
    for (const name of ['connection_close', 'disconnected']) {
      container.on(name, (event: EventContext) => this.forget(event.connection));
    }
    container.on('protocol_error', (error: unknown) => {
      this.context.logger.debug('Service Bus protocol error', {
        error: error instanceof Error ? error.message : String(error),
      });
    });
    container.on('error', (error: unknown) => {
      this.context.logger.debug('Service Bus connection error', {
        error: error instanceof Error ? error.message : String(error),
      });
    });
  }

  /** Runs a link handler; a failure is ours, so it is logged and the link is closed with internal-error. */
  private guard(event: EventContext, handle: (client: ClientConnection) => void): void {
    const client = this.clients.get(event.connection);
    const link = event.sender ?? event.receiver;
    if (!client) {
      link?.close({ condition: 'amqp:internal-error', description: 'Connection not registered with the broker.' });
      return;
    }
    try {
      handle(client);
    } catch (error) {
      const description = error instanceof Error ? error.message : String(error);
      this.context.logger.error('Service Bus link handler failed', {
        connection: client.id,
        link: link?.name,
        error: description,
      });
      link?.close({ condition: 'amqp:internal-error', description });
    }
  }

  private forget(connection: Connection): void {
    const client = this.clients.get(connection);
    if (client) {
      client.onClose();
      this.clients.delete(connection);
    }
  }
}
