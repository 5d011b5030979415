/**
 * The one place where a published message is matched against an account's subscriptions and
 * handed to each receiver: every plain subscription, and one member of each queue group. Client
 * connections, and later routes, leaf nodes and internal (system, JetStream) publishers, all
 * publish through here.
 * @module
 */
import type { Account } from "../accounts/account.ts";
import type { Subscription } from "../client/subscription.ts";
import type { Sublist } from "../subjects/sublist.ts";
import type { PubArgs } from "../protocol/parser.ts";
import { decode } from "../protocol/parser.ts";
import type { SubjectMatchCache } from "../client/subject_match_cache.ts";

/** Whatever owns a subscription and can receive messages for it. */
export interface MessageSink {
  readonly cid: number;
  /** True when producers should stall because this sink is falling behind. */
  readonly wantsProducerStall: boolean;
  /** Queues the message; false when it could not be delivered (closed, slow consumer). */
  deliver(sub: Subscription<MessageSink>, args: PubArgs, payload: Uint8Array,
    start: number, end: number): boolean;
}

/** The publishing side, as delivery needs it. */
export interface MessageSource {
  /** False when the publisher asked not to receive its own messages (`echo:false`). */
  readonly echo: boolean;
  /** True when the publisher wants a 503 status for requests nobody received. */
  readonly noResponders: boolean;
  /** Sends the no-responders status for a request with `reply` nobody received. */
  sendNoResponders(args: PubArgs, subject: string): void;
  /** The publisher's own cache of its last match. */
  readonly matchCache: SubjectMatchCache;
  /** Asks the publisher to pause reading briefly because `consumer` is behind. */
  stallFor(consumer: MessageSink): void;
}

/** The source of the message being routed now (service imports name the requester). */
let publishing: (MessageSource & MessageSink) | null = null;

/** The publisher of the message being delivered right now, or null outside delivery. */
export function currentPublisher(): (MessageSource & MessageSink) | null {
  return publishing;
}

/** Restores the publisher after a nested delivery (import forwarding). */
export function restorePublisher(source: (MessageSource & MessageSink) | null): void {
  publishing = source;
}

/**
 * Delivers one message. `payload[start, end)` holds headers then body.
 * Returns true when at least one subscription received it.
 */
export function routeMessage(
  source: MessageSource & MessageSink, account: Account, args: PubArgs,
  payload: Uint8Array, start: number, end: number, routeSubject?: string,
): boolean {
  publishing = source;
  const sublist = account.sublist as unknown as Sublist<Subscription>;
  const cache = source.matchCache;
  // A JetStream delivery forwarded by a stream import is matched by its delivery subject.
  let result = routeSubject !== undefined ? sublist.match(routeSubject)
    : cache.lookup(sublist, args.argBuf, args.subjectStart, args.subjectEnd);
  if (result === null) {
    result = sublist.match(decode(args.argBuf, args.subjectStart, args.subjectEnd));
    cache.store(sublist, args.argBuf, args.subjectStart, args.subjectEnd, result);
  }
  let delivered = false;
  const psubs = result.psubs as Subscription<MessageSink>[];
  for (let i = 0; i < psubs.length; i++) {
    const sub = psubs[i];
    const owner = sub.owner;
    if (owner === source && !source.echo) continue;
    if (owner.deliver(sub, args, payload, start, end)) {
      delivered = true;
      if (owner.wantsProducerStall) source.stallFor(owner);
    }
  }
  const qsubs = result.qsubs as Subscription<MessageSink>[][];
  for (let g = 0; g < qsubs.length; g++) {
    if (deliverToQueueGroup(qsubs[g], source, args, payload, start, end)) delivered = true;
  }
  if (!delivered && args.replyEnd > args.replyStart && source.noResponders) {
    source.sendNoResponders(args, decode(args.argBuf, args.subjectStart, args.subjectEnd));
  }
  return delivered;
}

/** Picks a random member to spread load; falls through to the next one if it cannot take it. */
function deliverToQueueGroup(
  group: Subscription<MessageSink>[], source: MessageSource & MessageSink, args: PubArgs,
  payload: Uint8Array, start: number, end: number,
): boolean {
  const count = group.length;
  const first = count === 1 ? 0 : Math.floor(Math.random() * count);
  for (let n = 0; n < count; n++) {
    const sub = group[(first + n) % count];
    const owner = sub.owner;
    if (owner === source && !source.echo) continue;
    if (owner.deliver(sub, args, payload, start, end)) {
      if (owner.wantsProducerStall) source.stallFor(owner);
      return true;
    }
  }
  return false;
}
