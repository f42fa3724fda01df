import { ServiceBusClient } from '@azure/service-bus';
import { ConnectionNotConfiguredError } from './errors';
import { settings } from './names';
import { credentialFor } from './storage';

type Env = Record<string, string | undefined>;

/** How to reach Service Bus: a connection string (the emulator locally) or a namespace with an identity. */
export type ServiceBusTarget =
  | { kind: 'connectionString'; connectionString: string }
  | { kind: 'identity'; fullyQualifiedNamespace: string; clientId?: string };

/** Resolves `ServiceBusConnection` or `ServiceBusConnection__fullyQualifiedNamespace` like the Functions host. */
export function toServiceBusTarget(env: Env, connection: string = settings.serviceBusConnection): ServiceBusTarget {
  const connectionString = env[connection]?.trim();
  if (connectionString) {
    return { kind: 'connectionString', connectionString };
  }
  const fullyQualifiedNamespace = env[`${connection}__fullyQualifiedNamespace`]?.trim();
  if (!fullyQualifiedNamespace) {
    throw new ConnectionNotConfiguredError(
      connection,
      `set '${connection}' to a connection string, or '${connection}__fullyQualifiedNamespace' for an ` +
        'identity-based connection.',
    );
  }
  const clientId = env[`${connection}__clientId`]?.trim();
  return { kind: 'identity', fullyQualifiedNamespace, ...(clientId ? { clientId } : {}) };
}

/** Makes a client for a resolved target; retries are left to the caller's durable retry policy. */
export function createServiceBusClient(target: ServiceBusTarget, timeoutMs: number): ServiceBusClient {
  const options = { retryOptions: { maxRetries: 1, timeoutInMs: timeoutMs } };
  return target.kind === 'connectionString'
    ? new ServiceBusClient(target.connectionString, options)
    : new ServiceBusClient(target.fullyQualifiedNamespace, credentialFor(target.clientId), options);
}

let shared: { key: string; client: ServiceBusClient } | undefined;

/** The process-wide Service Bus client; one AMQP connection is shared by all senders. */
export function getServiceBusClient(timeoutMs: number): ServiceBusClient {
  const target = toServiceBusTarget(process.env);
  const key = JSON.stringify(target);
  if (shared?.key !== key) {
    const previous = shared?.client;
    shared = { key, client: createServiceBusClient(target, timeoutMs) };
    void previous?.close();
  }
  return shared.client;
}
