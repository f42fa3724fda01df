import { randomUUID } from 'node:crypto';
import { ServiceBusClient, type ServiceBusClientOptions } from '@azure/service-bus';
import { startServiceBusBroker, type ServiceBusBroker, type ServiceBusBrokerOptions } from '../../src/servicebus';

/** Queue properties in Config.json form (`LockDuration`, `RequiresSession`, …). */
export type EntityProperties = Record<string, string | number | boolean>;

/** A Config.json object for the given queues and topics, in the official emulator's format. */
export function emulatorConfig(entities: {
  queues?: Array<{ name: string; properties?: EntityProperties }>;
  topics?: Array<{
    name: string;
    properties?: EntityProperties;
    subscriptions: Array<{ name: string; properties?: EntityProperties; rules?: object[] }>;
  }>;
}): object {
  return {
    UserConfig: {
      Namespaces: [
        {
          Name: 'sbemulatorns',
          Queues: (entities.queues ?? []).map((q) => ({ Name: q.name, Properties: q.properties ?? {} })),
          Topics: (entities.topics ?? []).map((t) => ({
            Name: t.name,
            Properties: t.properties ?? {},
            Subscriptions: t.subscriptions.map((s) => ({
              Name: s.name,
              Properties: s.properties ?? {},
              Rules: s.rules ?? [],
            })),
          })),
        },
      ],
      Logging: { Type: 'Console' },
    },
  };
}

/** A short unique entity name, so tests sharing a broker never see each other's messages. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** Fails fast instead of the SDK's 60 s operation timeout and 30 s retry delay. */
export const fastClientOptions: ServiceBusClientOptions = {
  retryOptions: { maxRetries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 500, timeoutInMs: 15_000 },
};

/** A broker on a free port plus the SDK clients a test opened, all closed by `close()`. */
export class TestBroker {
  private readonly clients: ServiceBusClient[] = [];

  private constructor(readonly broker: ServiceBusBroker) {}

  static async start(config: object, options: ServiceBusBrokerOptions = {}): Promise<TestBroker> {
    return new TestBroker(await startServiceBusBroker({ port: 0, ...options, config }));
  }

  get connectionString(): string {
    return this.broker.connectionString;
  }

  /** A new SDK client on its own connection; closed with the broker. */
  client(options: ServiceBusClientOptions = fastClientOptions): ServiceBusClient {
    const client = new ServiceBusClient(this.broker.connectionString, options);
    this.clients.push(client);
    return client;
  }

  /** Closes clients first: a broker stopping under a live send makes the SDK wait 90 s (fragility 7). */
  async close(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((client) => client.close()));
    await this.broker.stop();
  }
}
