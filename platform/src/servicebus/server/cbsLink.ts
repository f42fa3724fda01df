import type { Message } from 'rhea';
import type { ClaimSet } from '../auth/claims';
import { toClaimPath } from '../auth/claims';
import { parseSasToken, verifySasToken } from '../auth/sasToken';
import { BadRequestError, toAmqpError, UnauthorizedError } from '../errors';
import type { BrokerLogger } from '../logger';
import type { ReplyLinks } from './replyLinks';

/** What a `$cbs` put-token needs: the connection's claims, the keys, replies, logging. */
export interface CbsContext {
  claims: ClaimSet;
  keys: Readonly<Record<string, string>>;
  replies: ReplyLinks;
  logger: BrokerLogger;
  connectionId: string;
}

/**
 * Handles a `$cbs` put-token request (amqp `cbs.ts`): verifies the SAS token for the audience and grants the
 * connection that audience until the token expires. Replies 202, or 401 which the SDK reports as
 * `UnauthorizedAccess`; the status keys are `status-code` / `status-description`.
 */
export function handlePutToken(context: CbsContext, request: Message): void {
  const properties = (request.application_properties ?? {}) as Record<string, unknown>;
  const audience = typeof properties.name === 'string' ? properties.name : '';
  try {
    if (properties.operation !== 'put-token') {
      throw new BadRequestError(`Expected the $cbs operation 'put-token', got '${String(properties.operation)}'.`);
    }
    if (typeof request.body !== 'string') {
      throw new UnauthorizedError('the put-token body must be the token as a string', audience);
    }
    const token = parseSasToken(request.body, audience);
    const granted = toClaimPath(token.resource);
    const requested = toClaimPath(audience);
    if (granted !== '' && requested !== granted && !requested.startsWith(`${granted}/`)) {
      throw new UnauthorizedError(`the token is for '${token.resource}', which does not cover the audience`, audience);
    }
    verifySasToken(token, context.keys, audience);
    context.claims.grant(audience, token.expiry * 1000);
    context.logger.debug('Service Bus token accepted', { connection: context.connectionId, audience });
    context.replies.reply(request, { 'status-code': 202, 'status-description': 'Accepted' });
  } catch (error) {
    const { condition, description } = toAmqpError(error);
    const statusCode = error instanceof UnauthorizedError || error instanceof BadRequestError ? error.statusCode : 500;
    context.logger.debug('Service Bus token refused', { connection: context.connectionId, audience, condition });
    context.replies.reply(request, {
      'status-code': statusCode,
      'status-description': description,
      'error-condition': condition,
    });
  }
}
