/**
 * Forwarding messages between accounts (nats-server's stream imports, service imports and
 * their response mappings). Each import is a subscription whose owner is a sink here; the
 * sink rewrites the subject and routes the message into the other account through the same
 * delivery path as clients (server/delivery.ts):
 * - stream import: subscribed in the exporter on the exported subject, delivers into the
 *   importer under the prefixed or transformed subject;
 * - service import: subscribed in the importer on its local subject, delivers the request
 *   into the exporter with a `Nats-Request-Info` header and, when there is a reply subject,
 *   a fresh `_R_.` reply the exporter's ResponseRouter maps back to the requester;
 * - responses: singleton mappings end after one response, streamed and chunked ones after an
 *   empty message; all expire after the export's response threshold.
 * Accounts without imports or exports pay nothing for this.
 * @module
 */
import { SubjectMatchCache } from "../client/subject_match_cache.ts";
import { Subscription } from "../client/subscription.ts";
import type { PubArgs } from "../protocol/parser.ts";
import { decode } from "../protocol/parser.ts";
import {
  currentPublisher, type MessageSink, type MessageSource, restorePublisher, routeMessage,
} from "../server/delivery.ts";
import type { Account } from "./account.ts";
import { getHeader, setHeader } from "./headers.ts";
import type { ServiceExport, ServiceImportLink, StreamImportLink } from "./links.ts";
import { RESPONSE_THRESHOLD_MS_DEFAULT } from "./links.ts";
import { pubArgsFor } from "./mappings.ts";
import type { ResponseType } from "./types.ts";

/** Nested forwarding is cut off past this many hops (config checks refuse cycles anyway). */
export const IMPORT_HOPS_MAX = 8;
export const REQUEST_INFO_HEADER = "Nats-Request-Info";
/** Go's replyLen and base-62 digits for `_R_.` reply subjects. */
const REPLY_TOKEN_CHARS = 6;
const DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const JS_ACK_PREFIX = "$JS.ACK.";

/** What a publisher tells a service about itself (Go's ClientInfo). */
export interface RequestOrigin {
  requestInfo(detailed: boolean): Record<string, unknown> | null;
}

let hops = 0;

function randomToken(random: () => number): string {
  let out = "";
  for (let i = 0; i < REPLY_TOKEN_CHARS; i++) out += DIGITS[Math.floor(random() * DIGITS.length)];
  return out;
}

/** Common part of the sinks: it is the source of the forwarded message. */
abstract class ForwardingSink implements MessageSink, MessageSource {
  readonly cid = 0;
  readonly wantsProducerStall = false;
  readonly echo = true;
  readonly noResponders = false;
  readonly matchCache = new SubjectMatchCache();
  /** The publisher whose message is being forwarded. */
  origin: (MessageSource & MessageSink) | null = null;

  abstract deliver(sub: Subscription<MessageSink>, args: PubArgs, payload: Uint8Array,
    start: number, end: number): boolean;

  /** A consumer in the other account is behind: stall the original publisher. */
  stallFor(consumer: MessageSink): void {
    this.origin?.stallFor(consumer);
  }

  sendNoResponders(): void {
    // The original publisher answers no-responders from the delivery result.
  }

  protected forward(account: Account, args: PubArgs, payload: Uint8Array, start: number,
    end: number, routeSubject?: string): boolean {
    if (hops >= IMPORT_HOPS_MAX) return false;
    const previous = currentPublisher();
    const savedOrigin = this.origin;
    this.origin = previous instanceof ForwardingSink ? previous.origin : previous;
    hops++;
    try {
      return routeMessage(this, account, args, payload, start, end, routeSubject);
    } finally {
      hops--;
      this.origin = savedOrigin;
      restorePublisher(previous);
    }
  }
}

/**
 * The client whose message is being delivered now, seen through any import forwarding it
 * (a service answering `$SYS.REQ.USER.INFO` asks who is asking).
 */
export function originalPublisher(): MessageSource | null {
  const source = currentPublisher();
  return source instanceof ForwardingSink ? source.origin : source;
}

/** Delivers an exporter's messages into the importing account (a stream import). */
export class StreamImportSink extends ForwardingSink {
  constructor(readonly link: StreamImportLink, readonly importer: Account) {
    super();
  }

  deliver(_sub: Subscription<MessageSink>, args: PubArgs, payload: Uint8Array, start: number,
    end: number): boolean {
    const link = this.link;
    const subject = decode(args.argBuf, args.subjectStart, args.subjectEnd);
    const to = link.transform !== null ? link.transform.transform(subject)
      : link.usePublished ? subject : link.to;
    const reply = decode(args.argBuf, args.replyStart, args.replyEnd);
    // A push consumer's delivery (deliver_as.ts) keeps showing the stream subject and is
    // routed by its delivery subject, mapped like any other, as nats-server does.
    const deliverTo = (args as PubArgs & { deliverTo?: string }).deliverTo;
    if (deliverTo !== undefined) {
      const routed = link.transform !== null ? link.transform.transform(deliverTo)
        : link.usePublished ? deliverTo : link.to;
      const shown = pubArgsFor(subject, reply, args) as PubArgs & { deliverTo?: string };
      shown.deliverTo = routed;
      return this.forward(this.importer, shown, payload, start, end, routed);
    }
    return this.forward(this.importer, pubArgsFor(to, reply, args), payload, start, end);
  }
}

interface ResponseEntry {
  reply: string;
  /** Where responses go: the requester's account and reply subject. */
  dest: Account;
  to: string;
  responseType: ResponseType;
  thresholdMs: number;
  atMs: number;
}

export interface ForwardingDeps {
  nowMs(): number;
  random?: () => number;
  /** The response router of an account (created on first use). */
  routerOf(account: Account): ResponseRouter;
}

/**
 * The `_R_.` reply subjects an account answers to (Go's exports.responses): one wildcard
 * subscription per account, one entry per request in flight.
 */
export class ResponseRouter extends ForwardingSink {
  readonly #entries = new Map<string, ResponseEntry>();
  readonly #prefix: string;
  #subscribed = false;
  #sweepTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #random: () => number;

  constructor(readonly account: Account, readonly deps: ForwardingDeps) {
    super();
    this.#random = deps.random ?? Math.random;
    this.#prefix = `_R_.${randomToken(this.#random)}.`;
  }

  get pending(): number {
    return this.#entries.size;
  }

  /** Where a reply subject of this router goes: the requester's account and reply, if known. */
  destination(reply: string): { account: Account; subject: string } | null {
    const entry = this.#entries.get(reply);
    return entry === undefined ? null : { account: entry.dest, subject: entry.to };
  }

  /** Maps a new reply subject in this account back to `to` in `dest`. */
  add(dest: Account, to: string, se: ServiceExport | null, responseType: ResponseType):
    ResponseEntry {
    if (!this.#subscribed) {
      this.#subscribed = true;
      const sub = new Subscription<ResponseRouter>(this, `${this.#prefix}>`, null, "0");
      this.account.sublist.insert(sub as unknown as Subscription);
    }
    let reply = this.#prefix + randomToken(this.#random);
    while (this.#entries.has(reply)) reply = this.#prefix + randomToken(this.#random);
    const entry: ResponseEntry = { reply, dest, to, responseType,
      thresholdMs: se?.responseThresholdMs ?? RESPONSE_THRESHOLD_MS_DEFAULT,
      atMs: this.deps.nowMs() };
    this.#entries.set(reply, entry);
    this.#armSweep(entry.thresholdMs);
    return entry;
  }

  remove(entry: ResponseEntry): void {
    this.#entries.delete(entry.reply);
  }

  deliver(_sub: Subscription<MessageSink>, args: PubArgs, payload: Uint8Array, start: number,
    end: number): boolean {
    const subject = decode(args.argBuf, args.subjectStart, args.subjectEnd);
    const entry = this.#entries.get(subject);
    if (entry === undefined) return false;
    // A response asking for a reply maps that reply back the other way.
    let reverse: ResponseEntry | null = null;
    const reply = decode(args.argBuf, args.replyStart, args.replyEnd);
    if (reply !== "") reverse = this.deps.routerOf(entry.dest).add(this.account, reply, null,
      entry.responseType);
    const delivered = this.forward(entry.dest, pubArgsFor(entry.to, reverse?.reply ?? "", args),
      payload, start, end);
    if (!delivered && reverse !== null) this.deps.routerOf(entry.dest).remove(reverse);
    if (!delivered || entry.responseType === "Singleton" || end - start === 0) {
      this.remove(entry);
    } else {
      entry.atMs = this.deps.nowMs();
    }
    return delivered;
  }

  /**
   * Drops the mappings older than their export's response threshold. Returns how long until
   * the next one expires (Infinity when none remain).
   */
  expire(): number {
    const now = this.deps.nowMs();
    let next = Infinity;
    for (const entry of this.#entries.values()) {
      const left = entry.atMs + entry.thresholdMs - now;
      if (left <= 0) this.#entries.delete(entry.reply);
      else next = Math.min(next, left);
    }
    return next;
  }

  /** Runs expire() while mappings remain (one timer per account, not kept alive). */
  #armSweep(delayMs: number): void {
    if (this.#sweepTimer !== null) return;
    this.#sweepTimer = setTimeout(() => {
      this.#sweepTimer = null;
      const next = this.expire();
      if (next !== Infinity) this.#armSweep(next);
    }, delayMs);
    (this.#sweepTimer as { unref?: () => void }).unref?.();
  }
}

/** The Nats-Request-Info value for a request entering `link`'s exporter. */
function requestInfo(origin: unknown, link: ServiceImportLink, importer: Account,
  headers: Uint8Array | null): string | null {
  if (hops > 0) {
    // Chained imports keep the first hop's info and name the account passed through.
    const existing = getHeader(headers, REQUEST_INFO_HEADER);
    if (existing !== null) {
      try {
        return JSON.stringify({ ...JSON.parse(existing), svc: importer.name });
      } catch {
        // Not JSON: replaced below, as Go does when it cannot decode the header.
      }
    }
  }
  const source = origin as Partial<RequestOrigin> | null;
  if (source === null || typeof source.requestInfo !== "function") return null;
  const info = source.requestInfo(link.share);
  return info === null ? null : JSON.stringify(info);
}

/** Sends an importer's requests into the exporting account (a service import). */
export class ServiceImportSink extends ForwardingSink {
  static readonly #inFlight: (ServiceExport | null)[] = [];

  constructor(readonly link: ServiceImportLink, readonly importer: Account,
    readonly exporter: Account, readonly deps: ForwardingDeps) {
    super();
  }

  deliver(_sub: Subscription<MessageSink>, args: PubArgs, payload: Uint8Array, start: number,
    end: number): boolean {
    const link = this.link;
    // Go's psi chain: a request never passes the same export twice.
    if (link.export !== null && ServiceImportSink.#inFlight.includes(link.export)) return false;
    const subject = decode(args.argBuf, args.subjectStart, args.subjectEnd);
    const reply = decode(args.argBuf, args.replyStart, args.replyEnd);
    let entry: ResponseEntry | null = null;
    let newReply = "";
    if (reply.startsWith(JS_ACK_PREFIX)) {
      newReply = reply;
    } else if (reply !== "") {
      entry = this.deps.routerOf(this.exporter).add(this.importer, reply, link.export,
        link.responseType);
      newReply = entry.reply;
    }
    let to = link.transform !== null ? link.transform.transform(subject)
      : link.usePublished ? subject : link.to;
    const mapped = this.exporter.mappings?.select(to) ?? null;
    if (mapped !== null) to = mapped;
    const headerEnd = args.headerBytes > 0 ? start + args.headerBytes : start;
    const headers = args.headerBytes > 0 ? payload.subarray(start, headerEnd) : null;
    const origin = currentPublisher();
    const info = requestInfo(origin instanceof ForwardingSink ? origin.origin : origin, link,
      this.importer, headers);
    let body = payload.subarray(start, end);
    const newArgs = pubArgsFor(to, newReply, args);
    if (info !== null) {
      const block = setHeader(headers, REQUEST_INFO_HEADER, info);
      const rest = payload.subarray(headerEnd, end);
      body = new Uint8Array(block.length + rest.length);
      body.set(block);
      body.set(rest, block.length);
      newArgs.headerBytes = block.length;
      newArgs.totalBytes = body.length;
    }
    ServiceImportSink.#inFlight.push(link.export);
    let delivered: boolean;
    try {
      delivered = this.forward(this.exporter, newArgs, body, 0, body.length);
    } finally {
      ServiceImportSink.#inFlight.pop();
    }
    if (!delivered && entry !== null) this.deps.routerOf(this.exporter).remove(entry);
    return delivered;
  }
}
