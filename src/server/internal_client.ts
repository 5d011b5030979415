/**
 * An in-process client of an account: system services and JetStream subscribe and publish
 * through it, using the same matching and delivery path as socket clients (delivery.ts), so
 * permissions, queue groups and headers behave the same for them.
 * @module
 */
import type { Account } from "../accounts/account.ts";
import { SubjectMatchCache } from "../client/subject_match_cache.ts";
import { type InternalMessageHandler, Subscription } from "../client/subscription.ts";
import { type PubArgs } from "../protocol/parser.ts";
import { pubArgsFor } from "../protocol/pub_args_for.ts";
import { decode } from "../protocol/parser.ts";
import { type MessageSink, type MessageSource, routeMessage } from "./delivery.ts";

export const InternalKind = { system: "System", jetstream: "JetStream", account: "Account" } as const;
export type InternalKind = (typeof InternalKind)[keyof typeof InternalKind];

const EMPTY = new Uint8Array(0);

export class InternalClient implements MessageSink, MessageSource {
  readonly matchCache = new SubjectMatchCache();
  readonly wantsProducerStall = false;
  readonly noResponders = false;
  /** Internal clients receive their own messages (e.g. a service answering itself). */
  readonly echo = true;
  readonly #subscriptions = new Set<Subscription<InternalClient>>();
  #nextSid = 1;
  #closed = false;
  inMsgs = 0;
  outMsgs = 0;

  constructor(readonly cid: number, readonly account: Account, readonly kind: InternalKind) {}

  /**
   * Subscribes `handler` to `subject`. The handler runs synchronously during delivery; the
   * byte arrays it gets are views of the publisher's buffers: copy what you keep.
   */
  subscribe(subject: string, handler: InternalMessageHandler, queue: string | null = null):
    Subscription<InternalClient> {
    const sub = new Subscription<InternalClient>(this, subject, queue, String(this.#nextSid++),
      handler);
    this.account.sublist.insert(sub as unknown as Subscription);
    this.#subscriptions.add(sub);
    return sub;
  }

  unsubscribe(sub: Subscription<InternalClient>): void {
    if (!this.#subscriptions.delete(sub)) return;
    this.account.sublist.remove(sub as unknown as Subscription);
  }

  /**
   * Publishes into the account. `headers` is a complete header block (NATS/1.0 …\r\n\r\n) or
   * null. Returns true when at least one subscription received it.
   */
  publish(subject: string, reply: string, headers: Uint8Array | null, payload: Uint8Array): boolean {
    if (this.#closed) return false;
    // A fresh PubArgs each time: a handler may publish again while this one is delivered.
    const headerBytes = headers?.length ?? 0;
    const args = pubArgsFor(subject, reply, headers ? headerBytes : -1,
      headerBytes + payload.length);
    let body = payload;
    if (headers) {
      body = new Uint8Array(args.totalBytes);
      body.set(headers);
      body.set(payload, headerBytes);
    }
    this.outMsgs++;
    return routeMessage(this, this.account, args, body, 0, body.length);
  }

  deliver(
    sub: Subscription<MessageSink>, args: PubArgs, payload: Uint8Array, start: number, end: number,
  ): boolean {
    const handler = sub.internalHandler;
    if (this.#closed || handler === null) return false;
    this.inMsgs++;
    sub.delivered++;
    const subject = decode(args.argBuf, args.subjectStart, args.subjectEnd);
    const reply = decode(args.argBuf, args.replyStart, args.replyEnd);
    const headerEnd = args.headerBytes > 0 ? start + args.headerBytes : start;
    const headers = args.headerBytes > 0 ? payload.subarray(start, headerEnd) : null;
    const body = end > headerEnd ? payload.subarray(headerEnd, end) : EMPTY;
    handler(subject, reply, headers, body);
    if (sub.maxMsgs > 0 && sub.delivered >= sub.maxMsgs) {
      this.unsubscribe(sub as unknown as Subscription<InternalClient>);
    }
    return true;
  }

  stallFor(): void {
    // In-process publishers are never paused.
  }

  sendNoResponders(): void {
    // Internal requests handle their own timeouts.
  }

  close(): void {
    if (this.#closed) return;
    for (const sub of [...this.#subscriptions]) this.unsubscribe(sub);
    this.#closed = true;
  }
}
