/** A sub-queue of a queue or subscription: dead-lettered messages, or messages that failed auto-forwarding. */
export type SubQueue = 'deadLetter' | 'transferDeadLetter';

/** A link address split into the entity and what is asked of it. */
export interface LinkAddress {
  /** The entity path without sub-queue or `$management` suffix, as written by the client. */
  entityPath: string;
  /** `<entity>/$DeadLetterQueue` or `<entity>/$Transfer/$DeadLetterQueue` (any case). */
  subQueue: SubQueue | undefined;
  /** `<entity>/$management`. */
  management: boolean;
}

/**
 * Parses a link address: `orders`, `orders/$DeadLetterQueue`, `topic/Subscriptions/sub/$management`, or the
 * same behind `sb://host:port/` (the SDK uses bare paths; other clients send full URIs).
 */
export function fromLinkAddress(address: string): LinkAddress {
  let path = address.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*\//i, '').replace(/^\/+|\/+$/g, '');
  const management = /\/\$management$/i.test(path);
  if (management) {
    path = path.replace(/\/\$management$/i, '');
  }
  let subQueue: SubQueue | undefined;
  if (/\/\$transfer\/\$deadletterqueue$/i.test(path)) {
    subQueue = 'transferDeadLetter';
    path = path.replace(/\/\$transfer\/\$deadletterqueue$/i, '');
  } else if (/\/\$deadletterqueue$/i.test(path)) {
    subQueue = 'deadLetter';
    path = path.replace(/\/\$deadletterqueue$/i, '');
  }
  return { entityPath: path, subQueue, management };
}

/** The entity a `$management` link serves, sub-queue included: `orders/$deadletterqueue/$management` → `orders/$deadletterqueue`. */
export function toManagedEntityAddress(address: string): string {
  return address.replace(/\/\$management$/i, '');
}

/** The path of an entity's dead-letter sub-queue, as clients address it. */
export function toDeadLetterPath(entityPath: string): string {
  return `${entityPath}/$deadletterqueue`;
}

/** The path of the sub-queue holding messages that failed auto-forwarding. */
export function toTransferDeadLetterPath(entityPath: string): string {
  return `${entityPath}/$transfer/$deadletterqueue`;
}

/** The path of a subscription, as clients address it. */
export function toSubscriptionPath(topic: string, subscription: string): string {
  return `${topic}/subscriptions/${subscription}`;
}
