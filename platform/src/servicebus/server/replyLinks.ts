import type { Message, Sender } from 'rhea';

/**
 * The sending links of one connection that carry `$cbs` and `$management` responses, by link name. core-amqp
 * names its response receiver after the request's `reply-to` and matches responses only by `correlation-id`
 * (amqp `requestResponseLink.ts`), so a response goes out on the link whose name is the request's reply-to.
 */
export class ReplyLinks {
  private readonly links = new Map<string, Sender>();

  add(sender: Sender): void {
    this.links.set(sender.name, sender);
  }

  remove(sender: Sender): void {
    if (this.links.get(sender.name) === sender) {
      this.links.delete(sender.name);
    }
  }

  /** Sends a response correlated to `request`; false when the requester has no reply link open. */
  reply(request: Message, applicationProperties: Record<string, unknown>, body?: unknown): boolean {
    const replyTo = request.reply_to;
    const link = typeof replyTo === 'string' ? this.links.get(replyTo) : undefined;
    if (!link || !link.is_open()) {
      return false;
    }
    link.send({
      correlation_id: request.message_id,
      to: replyTo,
      application_properties: applicationProperties,
      body: body ?? null,
    });
    return true;
  }
}
