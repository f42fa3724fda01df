import type { Message } from 'rhea';
import type { Namespace } from '../entities/namespace';
import { BrokerError, toAmqpError } from '../errors';
import type { BrokerLogger } from '../logger';
import { runOperation } from '../management/operations';
import type { MessageJournal } from '../persistence/messageJournal';
import type { ReplyLinks } from './replyLinks';

/** What a `$management` request needs: the namespace, the journal to flush, replies, logging. */
export interface ManagementContext {
  namespace: Namespace;
  journal: MessageJournal;
  replies: ReplyLinks;
  logger: BrokerLogger;
  connectionId: string;
}

/**
 * Runs a `$management` request and replies with camelCase `statusCode` / `statusDescription` (the SDK's peek
 * tests `statusCode` by that exact key; service-bus.md section 11) plus `error-condition` on failure.
 */
export function handleManagementRequest(context: ManagementContext, address: string, request: Message): void {
  const properties = (request.application_properties ?? {}) as Record<string, unknown>;
  const operation = String(properties.operation);
  const body = (request.body ?? {}) as Record<string, unknown>;
  try {
    const result = runOperation(operation, { namespace: context.namespace, address, now: Date.now() }, body);
    context.journal.flush();
    context.replies.reply(
      request,
      { statusCode: result.statusCode, statusDescription: result.statusCode === 204 ? 'No Content' : 'OK' },
      result.body ?? {},
    );
  } catch (error) {
    const { condition, description } = toAmqpError(error);
    const statusCode = error instanceof BrokerError ? error.statusCode : 500;
    const level = error instanceof BrokerError ? 'debug' : 'error';
    context.logger[level]('Service Bus management operation failed', {
      connection: context.connectionId,
      entity: address,
      operation,
      condition,
      error: description,
    });
    context.journal.flush();
    context.replies.reply(request, { statusCode, statusDescription: description, 'error-condition': condition });
  }
}
