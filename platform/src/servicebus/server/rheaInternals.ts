import type { Socket } from 'node:net';
import type { Connection, Delivery, Receiver, Sender, link as Link } from 'rhea';

/*
 * Every place the broker reaches into rhea's internals (reference: service-bus.md, fragility item 6). They are
 * fields and methods of rhea 3.0.5 (lib/link.js, lib/session.js, lib/connection.js, lib/endpoint.js); the
 * version is pinned and the SDK shares the same copy. Nothing else in the broker touches rhea privately.
 */

interface AttachFields {
  snd_settle_mode?: number;
  rcv_settle_mode?: number;
  max_message_size?: number;
  properties?: Record<string, unknown>;
}

interface LinkInternals {
  local: { attach: AttachFields };
  state: { open_requests: number };
  credit: number;
  delivery_count: number;
  issue_flow: boolean;
  session: { outgoing: { available(): number } };
}

interface SenderInternals extends LinkInternals {
  _draining: boolean;
  _drained: boolean;
  _get_drain(): boolean;
}

interface DeliveryInternals {
  remote_settled: boolean;
}

interface ConnectionInternals {
  socket: Socket | undefined;
  eof(): void;
}

function internals(link: Link): LinkInternals {
  return link as unknown as LinkInternals;
}

/**
 * Sets fields of the attach rhea is about to write for a link the client opened. The attach goes out after
 * the open event handlers return, so values set there reach the client.
 */
export function setLocalAttach(link: Link, fields: AttachFields): void {
  Object.assign(internals(link).local.attach, fields);
}

/** Keeps rhea from writing the attach until `releaseAttach` (a long-polling `acceptNextSession`). */
export function holdAttach(link: Link): void {
  const state = internals(link).state;
  state.open_requests = Math.max(0, state.open_requests - 1);
}

/** Lets rhea write a held attach. */
export function releaseAttach(link: Link): void {
  internals(link).state.open_requests++;
  registerProcessing(link.connection);
}

/** Messages rhea allows on a sending link: credit plus its delivery count, as an absolute transfer limit. */
export function senderLimit(sender: Sender): number {
  const link = internals(sender);
  return link.credit + link.delivery_count;
}

/** Transfers rhea has written on a sending link (its delivery count). */
export function senderDeliveryCount(sender: Sender): number {
  return internals(sender).delivery_count;
}

/** Free slots in the session's 2048-entry outgoing delivery buffer. */
export function freeTransferSlots(link: Link): number {
  return internals(link).session.outgoing.available();
}

/** True while the receiving client asked this link to drain. */
export function isDraining(sender: Sender): boolean {
  return (sender as unknown as SenderInternals)._draining;
}

/**
 * Answers every drain request with `flow(drain = true, link-credit = 0)`, even when the credit is already used
 * up: rhea only answers while credit remains, and the SDK closes its link when the answer is late (fragility
 * item 3). `onDrained` learns how much unused credit the drain consumed, so the caller's count can follow.
 */
export function answerDrainAlways(sender: Sender, onDrained: (drainedCredit: number) => void): void {
  const link = sender as unknown as SenderInternals;
  link._get_drain = function drain(this: SenderInternals): boolean {
    if (!this._draining || !this._drained) {
      return false;
    }
    const drained = this.credit;
    this.delivery_count += drained;
    this.credit = 0;
    this._draining = false;
    onDrained(drained);
    return true;
  };
}

/** Queues the drain answer for the next write. */
export function requestDrainAnswer(sender: Sender): void {
  const link = sender as unknown as SenderInternals;
  link._drained = true;
  link.issue_flow = true;
  registerProcessing(sender.connection);
}

/**
 * Marks a delivery the broker settled as settled by the client too. The SDK never sends the final settle in
 * receiver-settle-mode second, so rhea would keep the delivery in its 2048-slot buffer forever (fragility 2).
 */
export function settleLocally(delivery: Delivery): void {
  (delivery as unknown as DeliveryInternals).remote_settled = true;
}

/** The credit a receiving link has granted and not yet used. */
export function receiverCredit(receiver: Receiver): number {
  return internals(receiver).credit;
}

/**
 * Ends a server-side connection's transport: destroys the socket and runs rhea's end-of-stream handling, which
 * clears its heartbeat timers (rhea does not watch the socket's `close`; fragility item 8).
 */
export function destroyTransport(connection: Connection): void {
  const target = connection as unknown as ConnectionInternals;
  target.socket?.destroy();
  target.eof();
}

/** The socket under a server-side connection. */
export function socketOf(connection: Connection): Socket | undefined {
  return (connection as unknown as ConnectionInternals).socket;
}

function registerProcessing(connection: Connection): void {
  (connection as unknown as { _register(): void })._register();
}
