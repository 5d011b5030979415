/**
 * One client connection: feeds socket reads to the parser, applies each operation (CONNECT,
 * SUB, UNSUB, PUB, PING/PONG) with nats-server's rules, and owns the outbound queue, the ping
 * and authentication timers, and the close path. Transport-agnostic: the socket is any object
 * with `write` and `end` (TLS and WebSocket later sit under it).
 * @module
 */
import type { Account } from "../accounts/account.ts";
import type { AuthUser } from "../auth/authenticator.ts";
import { authUserLabel } from "../auth/client_auth.ts";
import type { ClientPermissions } from "../auth/permissions.ts";
import type { SubjectMapper } from "../accounts/mappings.ts";
import { isReservedReply, SYSTEM_QUEUE_GROUP } from "../auth/reserved_subjects.ts";
import { goQuote } from "../monitor/go_format.ts";
import { ClosedReason, ERR } from "../protocol/errors.ts";
import {
  errLine, infoLine, OK_BYTES, PING_BYTES, PONG_BYTES, writeMsg,
} from "../protocol/encoder.ts";
import { decode, Parser, ParseStatus, type ParserHandler, type PubArgs } from "../protocol/parser.ts";
import { isValidLiteralSubject, tokenCount } from "../subjects/subject.ts";
import {
  applyConnectJson, type ConnectOptions, ConnectDecodeError, defaultConnectOptions,
} from "./connect_options.ts";
import type { ClientContext } from "./context.ts";
import type { Flushable } from "./flush_queue.ts";
import { Outbound, type OutboundSocket } from "./outbound.ts";
import { Subscription } from "./subscription.ts";
import { tracedPayload } from "../server/logging/trace_payload.ts";
import { SubjectMatchCache } from "./subject_match_cache.ts";
import { type PausableSocket, StallGate } from "./stall_gate.ts";

/** The transport under a connection. */
export interface ClientSocket extends OutboundSocket, PausableSocket {
  end(): void;
  readonly remoteAddress: string;
  readonly remotePort?: number;
}

/** A read is parsed in slices of this size so a producer can stall between them. */
export const READ_SLICE_BYTES_MAX = 64 * 1024;

/** Hides passwords and tokens in traced CONNECT lines, as nats-server does. */
function redactSecrets(json: string): string {
  return json.replace(/"(pass|auth_token|sig|proxy_sig)"\s*:\s*"(?:[^"\\]|\\.)*"/g,
    '"$1":"[REDACTED]"');
}

/** How long the first server PING waits after CONNECT (before the regular interval). */
export const FIRST_CLIENT_PING_INTERVAL_MS = 2000;

export const ConnectionKind = { client: "Client" } as const;

export class ClientConnection implements ParserHandler, Flushable {
  readonly kind = ConnectionKind.client;
  readonly outbound = new Outbound();
  readonly matchCache = new SubjectMatchCache();
  readonly stallGate: StallGate;
  readonly parser: Parser;
  readonly subscriptions = new Map<string, Subscription<ClientConnection>>();
  connect: ConnectOptions = defaultConnectOptions();
  account: Account | null = null;
  /** The INFO nonce nkey clients sign; "" when the server sends none. */
  nonce = "";
  /** Null: no permission lists apply (the common case costs one check per operation). */
  permissions: ClientPermissions | null = null;
  /** Why authentication failed, when not plain bad credentials (Go's setAuthError). */
  authError: ClosedReason | null = null;
  /** The configured user this client authenticated as; null for simple or no auth. */
  authUser: AuthUser | null = null;
  /** Subscriptions allowed (server and account limits combined); -1 for no limit. */
  subscriptionsMax = -1;
  connectReceived = false;
  flushQueued = false;
  closed = false;
  closedReason: ClosedReason | null = null;

  // Counters for /connz.
  inMsgs = 0;
  inBytes = 0;
  outMsgs = 0;
  outBytes = 0;
  readonly startedAtMs: number;
  lastActivityMs: number;
  rttMs = 0;

  /** Input read but not parsed yet while this producer is stalled (or auth is pending). */
  #stalledInput: Uint8Array | null = null;
  /** An auth callout is deciding on the CONNECT (input waits in #stalledInput). */
  authPending = false;
  #started = false;
  /** Bound to the no_auth_user by an operation sent before CONNECT. */
  #boundBeforeConnect = false;
  /** Set by the listener: a WebSocket connection. */
  websocket = false;
  /** Set by the listener: the transport is (or will be) TLS. */
  transportTls = false;
  /** True once TLS is up on this connection (false for plaintext connections). */
  tlsHandshakeDone = false;
  #pingsOutstanding = 0;
  /** SUB and UNSUB operations received (activity, as Go counts `c.in.subs`). */
  #subscriptionOps = 0;
  #outMsgsAtLastFlush = 0;
  /** Last read that showed the peer alive (messages, subscriptions, PING): delays our PINGs. */
  #lastInMs: number;
  #pingSentAtMs = 0;
  #firstPongSent = false;
  #pingTimer: ReturnType<typeof setTimeout> | null = null;
  #authTimer: ReturnType<typeof setTimeout> | null = null;
  #writeDeadlineTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly cid: number,
    readonly socket: ClientSocket,
    readonly context: ClientContext,
  ) {
    const options = context.options;
    this.parser = new Parser(this, {
      maxControlLineBytes: options.maxControlLineBytes,
      maxPayloadBytes: options.maxPayloadBytes,
      headersSupported: false,
    });
    this.stallGate = new StallGate(socket);
    this.startedAtMs = context.clock.nowMs();
    this.lastActivityMs = this.startedAtMs;
    this.#lastInMs = this.startedAtMs;
  }

  /** Sends INFO and arms the timers; called once the socket is open (or TLS is up). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#queueText(infoLine(this.context.infoJson(this)));
    if (this.context.authRequired(this)) {
      this.#authTimer = setTimeout(() => this.#onAuthTimeout(), this.context.options.authTimeoutMs);
    }
    this.#armPingTimer(this.#firstPingDelayMs());
    this.flushOutbound();
  }

  /** Feeds one socket read. */
  onData(chunk: Uint8Array): void {
    if (this.closed) return;
    const activityBefore = this.inMsgs + this.#subscriptionOps;
    if (this.#stalledInput !== null || this.authPending) {
      // Read before the pause took effect: keep it behind what is already waiting.
      this.#stalledInput = Buffer.concat([this.#stalledInput ?? new Uint8Array(0), chunk]);
      return;
    }
    this.#consume(chunk);
    this.#noteActivityAfter(activityBefore);
  }

  /**
   * As nats-server: `last_activity` (and the ping sender's notion of a live peer) moves when a
   * read carried messages or subscription changes, or when messages were delivered here.
   */
  #noteActivityAfter(activityBefore: number): void {
    if (this.inMsgs + this.#subscriptionOps === activityBefore) return;
    const now = this.context.clock.nowMs();
    this.lastActivityMs = now;
    this.#lastInMs = now;
  }

  /**
   * Parses a read in slices of at most READ_SLICE_BYTES_MAX (a Bun read can be 512 KiB), so
   * that a consumer falling behind can stall this producer between slices, as nats-server's
   * 64 KiB reads allow.
   */
  #consume(chunk: Uint8Array): void {
    let offset = 0;
    while (offset < chunk.length) {
      let end = Math.min(offset + READ_SLICE_BYTES_MAX, chunk.length);
      if (!this.connectReceived) {
        // Before CONNECT, parse a line at a time: an auth callout may hold what follows.
        const lineEnd = chunk.indexOf(0x0a, offset);
        if (lineEnd >= 0 && lineEnd + 1 < end) end = lineEnd + 1;
      }
      const status = this.parser.parse(offset === 0 && end === chunk.length ? chunk : chunk.subarray(offset, end));
      offset = end;
      if (status !== ParseStatus.ok) {
        this.#onParseFailure(status);
        return;
      }
      if (this.authPending) {
        this.#stalledInput = offset < chunk.length ? chunk.slice(offset) : null;
        return;
      }
      if (this.stallGate.requested) {
        this.#stalledInput = offset < chunk.length ? chunk.slice(offset) : null;
        // Give the consumers what they have before waiting for them.
        this.context.flushQueue.flushAll();
        this.stallGate.applyRequested(() => this.#resumeStalledInput());
        return;
      }
    }
  }

  #resumeStalledInput(): void {
    const input = this.#stalledInput;
    this.#stalledInput = null;
    if (input !== null && !this.closed) this.#consume(input);
  }

  // ---- TLS -----------------------------------------------------------------------------

  /** The TLS handshake completed: check pinned certificates; send INFO if TLS came first. */
  onTlsHandshake(): void {
    if (this.closed) return;
    this.tlsHandshakeDone = true;
    if (!this.context.acceptTlsPeer(this)) {
      this.context.log.error(`${this.#label()} - TLS handshake error: ` +
        "TLS version or peer certificate refused (min_version, pinned_certs)");
      this.close(ClosedReason.tlsHandshakeFailure);
      return;
    }
    if (!this.#started) this.start();
  }

  /** The handshake failed or timed out (e.g. a plaintext client on a TLS-only port). */
  closeAfterTlsFailure(): void {
    if (this.closed) return;
    this.context.log.debug(`${this.#label()} - TLS handshake failure`);
    this.close(ClosedReason.tlsHandshakeFailure);
  }

  // ---- ParserHandler -------------------------------------------------------------------

  allowOperation(isConnect: boolean): boolean {
    if (this.closed) return false;
    if (isConnect || this.connectReceived || this.#boundBeforeConnect) return true;
    if (!this.context.authRequired(this)) return true;
    // As nats-server: with a no_auth_user, operations before CONNECT run as that user.
    if (this.#bindDefaultAccount() === null) return false;
    this.#boundBeforeConnect = true;
    this.#clearAuthTimer();
    return true;
  }

  onConnect(json: string): boolean {
    if (this.#tracing) this.#traceIn("CONNECT", redactSecrets(json));
    this.#clearAuthTimer();
    const firstConnect = !this.connectReceived;
    try {
      applyConnectJson(json, this.connect);
    } catch (error) {
      if (!(error instanceof ConnectDecodeError)) throw error;
      this.context.log.error(`${this.#label()} - ${error.message}`);
      this.close(ClosedReason.protocolViolation);
      return false;
    }
    this.connectReceived = true;
    // As nats-server: the first RTT estimate is the time from accept to CONNECT.
    if (firstConnect) this.rttMs = Math.max(this.context.clock.nowMs() - this.startedAtMs, 0.001);
    const headers = this.connect.headers && !this.context.options.noHeaderSupport;
    this.parser.setLimits({ headersSupported: headers });
    if (!firstConnect) this.#dropSubscriptions();
    const account = this.context.authenticate(this, this.connect);
    // An auth callout answers later (completeAuthentication); input waits until then.
    return this.authPending || this.#finishConnect(account);
  }

  /** The CONNECT's verdict will come later: hold further input (auth callout). */
  awaitAuthentication(): void {
    this.authPending = true;
    this.socket.pause?.();
  }

  /** The deferred verdict: null refuses the client; input read meanwhile is parsed now. */
  completeAuthentication(account: Account | null): void {
    if (!this.authPending || this.closed) return;
    this.authPending = false;
    this.socket.resume?.();
    if (this.#finishConnect(account)) this.#resumeStalledInput();
    this.context.flushQueue.flushAll();
  }

  #finishConnect(account: Account | null): boolean {
    if (this.closed) return false; // refused with its own error (e.g. an account limit)
    if (account === null || this.connect.account !== "" || this.connect.newAccount) {
      this.authViolation();
      return false;
    }
    this.#bindAccount(account);
    if (this.connect.protocol < 0 || this.connect.protocol > 1) {
      this.#sendErr(ERR.invalidClientProtocol);
      this.close(ClosedReason.badClientProtocolVersion);
      return false;
    }
    if (this.connect.noResponders && !this.headersEnabled()) {
      this.#sendErr(ERR.noRespondersRequiresHeaders);
      this.close(ClosedReason.noRespondersRequiresHeaders);
      return false;
    }
    if (this.connect.verbose) this.#queueBytes(OK_BYTES);
    this.#armPingTimer(this.#firstPingDelayMs());
    return true;
  }

  onPub(args: PubArgs, payload: Uint8Array, start: number, end: number): boolean {
    const size = end - start;
    if (this.#tracing) this.#tracePub(args, payload, start, end);
    this.inMsgs++;
    this.inBytes += size;
    const stats = this.context.stats;
    stats.inMsgs++;
    stats.inBytes += size;
    const account = this.account ?? this.#bindDefaultAccount();
    if (account === null) return false;
    // As nats-server: the account's mappings apply first; permissions see the mapped subject.
    const pub = account.mappings === null ? args : this.#mapped(account.mappings, args);
    const perms = this.permissions;
    if (perms !== null && perms.checksPublish && !perms.publishAllowedBytes(
      pub.argBuf, pub.subjectStart, pub.subjectEnd)) {
      this.#publishViolation(decode(pub.argBuf, pub.subjectStart, pub.subjectEnd));
      return true;
    }
    if (pub.replyEnd > pub.replyStart &&
      isReservedReply(pub.argBuf, pub.replyStart, pub.replyEnd)) {
      this.#replyViolation(decode(pub.argBuf, pub.replyStart, pub.replyEnd));
      return true;
    }
    if (this.connect.verbose) this.#queueBytes(OK_BYTES);
    this.context.routeMessage(this, account, pub, payload, start, end);
    return !this.closed;
  }

  #mapped(mappings: SubjectMapper, args: PubArgs): PubArgs {
    const mapped = mappings.mapArgs(args);
    if (mapped === null) return args;
    if (this.#tracing) {
      this.#traceIn("MAPPING", `${decode(args.argBuf, args.subjectStart, args.subjectEnd)} -> ` +
        decode(mapped.argBuf, mapped.subjectStart, mapped.subjectEnd));
    }
    return mapped;
  }

  /** Go's getClientInfo: what a service import tells the exporter about this requester. */
  requestInfo(detailed: boolean): Record<string, unknown> {
    const rtt = Math.round(this.rttMs * 1_000_000);
    const base = { acc: this.account?.name ?? "", ...(rtt > 0 ? { rtt } : {}) };
    if (!detailed) return base;
    const c = this.connect;
    return {
      start: new Date(Date.now() - (this.context.clock.nowMs() - this.startedAtMs)).toISOString(),
      host: this.socket.remoteAddress, id: this.cid, ...base,
      ...(c.user !== "" || c.nkey !== "" ? { user: c.nkey || c.user } : {}),
      ...(c.name !== "" ? { name: c.name } : {}), ...(c.lang !== "" ? { lang: c.lang } : {}),
      ...(c.version !== "" ? { ver: c.version } : {}), kind: "Client", client_type: "nats",
    };
  }

  checkPublishSubject(args: PubArgs): void {
    if (!this.connect.pedantic) return;
    const subject = decode(args.argBuf, args.subjectStart, args.subjectEnd);
    // Go's pedantic check: literal tokens, whitespace inside a token allowed.
    if (!isValidLiteralSubject(subject)) this.#sendErr(ERR.invalidPublishSubject);
  }

  onSub(subject: string, queue: string | null, sid: string): boolean {
    this.#subscriptionOps++;
    if (this.#tracing) this.#traceIn("SUB", queue ? `${subject} ${queue} ${sid}` : `${subject} ${sid}`);
    const account = this.account ?? this.#bindDefaultAccount();
    if (account === null) return false;
    const perms = this.permissions;
    if ((perms !== null && !perms.subscribeAllowed(subject, queue)) ||
      queue === SYSTEM_QUEUE_GROUP) {
      this.#subscriptionViolation(subject, queue, sid);
      return true;
    }
    const options = this.context.options;
    if (options.maxSubTokens > 0 && tokenCount(subject) > options.maxSubTokens) {
      this.#sendErr(`Permissions Violation for Subscription to "${subject}", too many tokens`);
      return true;
    }
    // Set when the account was bound: the server's and the account's limits combined.
    if (this.subscriptionsMax >= 0 && this.subscriptions.size >= this.subscriptionsMax) {
      this.#sendErr(ERR.maxSubscriptionsExceeded);
      return true;
    }
    if (!this.subscriptions.has(sid)) {
      const sub = new Subscription<ClientConnection>(this, subject, queue, sid);
      try {
        account.sublist.insert(sub);
      } catch {
        this.#sendErr(ERR.invalidSubject);
        return true;
      }
      this.subscriptions.set(sid, sub);
    }
    if (this.connect.verbose) this.#queueBytes(OK_BYTES);
    return true;
  }

  onUnsub(sid: string, maxMsgs: number): boolean {
    this.#subscriptionOps++;
    if (this.#tracing) this.#traceIn("UNSUB", maxMsgs >= 0 ? `${sid} ${maxMsgs}` : sid);
    const sub = this.subscriptions.get(sid);
    if (sub) {
      if (maxMsgs > 0 && maxMsgs > sub.delivered) {
        sub.maxMsgs = maxMsgs;
      } else {
        this.removeSubscription(sub);
      }
    }
    if (this.connect.verbose) this.#queueBytes(OK_BYTES);
    return true;
  }

  onPing(): boolean {
    this.#lastInMs = this.context.clock.nowMs();
    if (this.#tracing) {
      this.#traceIn("PING", "");
      this.#traceOut("PONG");
    }
    this.#queueBytes(PONG_BYTES);
    if (!this.connectReceived || this.#firstPongSent) return true;
    this.#firstPongSent = true;
    if (this.connect.protocol >= 1 && this.account) {
      // Since 2.12 the first PONG is followed by an INFO naming the bound account.
      this.#queueText(infoLine(this.context.infoJson(this, {
        connect_info: true,
        remote_account: this.account.name,
      })));
    }
    return true;
  }

  onPong(): boolean {
    if (this.#tracing) this.#traceIn("PONG", "");
    this.#pingsOutstanding = 0;
    if (this.#pingSentAtMs > 0) {
      this.rttMs = this.context.clock.nowMs() - this.#pingSentAtMs;
      this.#pingSentAtMs = 0;
    }
    return true;
  }

  onInfo(_json: string): boolean {
    return true; // clients may send INFO; nats-server ignores it
  }

  onErr(text: string): boolean {
    this.context.log.debug(`${this.#label()} - Client sent -ERR ${text}`);
    this.close(ClosedReason.parseError);
    return false;
  }

  // ---- Delivery ------------------------------------------------------------------------

  /** Queues one message for `sub` (owned by this connection). Returns false if it was dropped. */
  deliver(
    sub: Subscription<ClientConnection>, args: PubArgs,
    payload: Uint8Array, start: number, end: number,
  ): boolean {
    if (this.closed) return false;
    const perms = this.permissions;
    if (perms !== null && perms.checksDelivery &&
      perms.deliveryDenied(decode(args.argBuf, args.subjectStart, args.subjectEnd), sub.queue)) {
      return false;
    }
    const stripHeaders = args.headerBytes > 0 && !this.headersEnabled();
    const size = writeMsg(this.outbound, args, sub.sidField, payload, start, end, stripHeaders);
    if (this.#tracing) this.#traceDelivery(sub, args, size, stripHeaders);
    this.outMsgs++;
    this.outBytes += size;
    const stats = this.context.stats;
    stats.outMsgs++;
    stats.outBytes += size;
    sub.delivered++;
    if (perms !== null && perms.checksDelivery && args.replyEnd > args.replyStart) {
      perms.recordReply(decode(args.argBuf, args.replyStart, args.replyEnd));
    }
    if (sub.maxMsgs > 0 && sub.delivered >= sub.maxMsgs) this.removeSubscription(sub);
    const maxPending = this.context.options.maxPendingBytes;
    if (this.outbound.pendingBytes > maxPending) {
      this.#slowConsumer(ClosedReason.slowConsumerPendingBytes);
      return false;
    }
    this.context.flushQueue.add(this);
    return true;
  }

  /** True when producers sending here should stall: the queue is past 3/4 of max_pending. */
  get wantsProducerStall(): boolean {
    return this.outbound.pendingBytes > (this.context.options.maxPendingBytes >> 2) * 3;
  }

  /** Asks to stall this producer after the current read, because `consumer` is behind. */
  stallFor(consumer: ClientConnection): void {
    if (!(consumer instanceof ClientConnection)) return; // internal sinks never stall producers
    const atMax = consumer.outbound.pendingBytes >= this.context.options.maxPendingBytes;
    this.stallGate.request(consumer.stallGate, atMax);
  }

  get echo(): boolean {
    return this.connect.echo;
  }

  get noResponders(): boolean {
    return this.connect.noResponders;
  }

  /** Answers a request nobody received with a 503 status on the requester's reply subscription. */
  sendNoResponders(args: PubArgs, subject: string): void {
    const reply = decode(args.argBuf, args.replyStart, args.replyEnd);
    const own = this.account?.sublist.match(reply).psubs.find((sub) => sub.owner === this);
    if (!own) return;
    // "NATS/1.0 503\r\n" + "Nats-Subject: " + subject + "\r\n" + "\r\n"
    const headerBytes = 32 + Buffer.byteLength(subject);
    this.#queueText(`HMSG ${reply} ${own.sid} ${headerBytes} ${headerBytes}\r\n` +
      `NATS/1.0 503\r\nNats-Subject: ${subject}\r\n\r\n\r\n`);
  }

  /** True when the client negotiated headers in CONNECT (and the server allows them). */
  headersEnabled(): boolean {
    return this.connect.headers && !this.context.options.noHeaderSupport;
  }

  /** Queues raw protocol text (INFO updates, errors) and schedules a flush. */
  sendProtocol(text: string): void {
    this.#queueText(text);
  }

  removeSubscription(sub: Subscription<ClientConnection>): void {
    if (this.subscriptions.get(sub.sid) !== sub) return;
    this.subscriptions.delete(sub.sid);
    this.account?.sublist.remove(sub);
  }

  // ---- Outbound ------------------------------------------------------------------------

  flushOutbound(): void {
    if (this.closed) return;
    const outbound = this.outbound;
    if (outbound.pendingBytes === 0) return;
    const now = this.context.clock.nowMs();
    if (this.outMsgs !== this.#outMsgsAtLastFlush) {
      // Messages delivered here count as activity (Go updates `last` when it flushes them).
      this.lastActivityMs = now;
      this.#outMsgsAtLastFlush = this.outMsgs;
    }
    outbound.flush(this.socket, now);
    if (outbound.blocked && this.#writeDeadlineTimer === null) {
      this.#writeDeadlineTimer = setTimeout(
        () => this.#onWriteDeadline(), this.context.options.writeDeadlineMs,
      );
    }
  }

  /** The socket can take more bytes. */
  onDrain(): void {
    if (this.closed) return;
    this.outbound.flush(this.socket, this.context.clock.nowMs());
    if (!this.wantsProducerStall) this.stallGate.releaseWaitingProducers();
    if (!this.outbound.blocked && this.#writeDeadlineTimer !== null) {
      clearTimeout(this.#writeDeadlineTimer);
      this.#writeDeadlineTimer = null;
    }
  }

  // ---- Closing -------------------------------------------------------------------------

  /** Closes the connection: flushes what is queued (e.g. a final -ERR), then ends the socket. */
  close(reason: ClosedReason): void {
    if (this.closed) return;
    this.flushOutbound();
    this.closed = true;
    this.closedReason = reason;
    this.#clearTimers();
    this.stallGate.release();
    this.stallGate.releaseWaitingProducers();
    // Reported before the subscriptions go, so /connz?state=closed still lists them.
    this.context.onClientClosed(this, reason);
    this.#dropSubscriptions();
    this.matchCache.clear();
    this.outbound.clear();
    try {
      this.socket.end();
    } catch {
      // The socket may already be gone; the connection is closed either way.
    }
    if (this.account) this.account.clientCount--;
  }

  /** The peer closed the socket (or it failed). */
  onSocketClosed(): void {
    if (!this.closed) this.close(ClosedReason.clientClosed);
  }

  // ---- Internals -----------------------------------------------------------------------

  #onParseFailure(status: ParseStatus): void {
    switch (status) {
      case ParseStatus.unknownOperation:
        this.#sendErr(ERR.unknownProtocolOperation);
        this.close(ClosedReason.protocolViolation);
        break;
      case ParseStatus.maxControlLine:
        this.#sendErr(ERR.maxControlLineExceeded);
        this.close(ClosedReason.maxControlLineExceeded);
        break;
      case ParseStatus.maxPayload:
        this.#sendErr(ERR.maxPayloadViolation);
        this.close(ClosedReason.maxPayloadExceeded);
        break;
      case ParseStatus.protocolViolation:
      case ParseStatus.headersNotSupported:
        this.close(ClosedReason.protocolViolation);
        break;
      case ParseStatus.refused:
      case ParseStatus.stopped:
        break; // the handler already answered and closed
    }
  }

  /** Refuses the client's credentials: `-ERR 'Authorization Violation'` and close. */
  authViolation(): void {
    const c = this.connect;
    const identified = c.nkey !== "" || c.user !== "" || c.jwt !== "" || c.authToken !== "";
    // As nats-server: the identity is named, a token or password never is.
    this.context.log.error(`${this.#label()} - authentication error` +
      (identified ? ` - ${authUserLabel(c)}` : ""));
    this.#sendErr(ERR.authorizationViolation);
    this.close(this.authError ?? ClosedReason.authenticationFailure);
  }

  #publishViolation(subject: string): void {
    this.#sendErr(`Permissions Violation for Publish to ${goQuote(subject)}`);
    this.context.log.error(`${this.#label()} - Publish Violation - Subject ${goQuote(subject)}`);
  }

  #replyViolation(reply: string): void {
    this.#sendErr(`Permissions Violation for Publish with Reply of ${goQuote(reply)}`);
    this.context.log.error(`${this.#label()} - Publish Violation - Reply ${goQuote(reply)}`);
  }

  #subscriptionViolation(subject: string, queue: string | null, sid: string): void {
    if (queue === null) {
      this.#sendErr(`Permissions Violation for Subscription to ${goQuote(subject)}`);
      this.context.log.error(`${this.#label()} - Subscription Violation - Subject ` +
        `${goQuote(subject)}, SID ${sid}`);
      return;
    }
    this.#sendErr(`Permissions Violation for Subscription to ${goQuote(subject)} using queue ` +
      goQuote(queue));
    this.context.log.error(`${this.#label()} - Subscription Violation - Subject ` +
      `${goQuote(subject)}, Queue: ${goQuote(queue)}, SID ${sid}`);
  }

  #onAuthTimeout(): void {
    this.#authTimer = null;
    if (this.closed || this.connectReceived) return;
    this.#sendErr(ERR.authenticationTimeout);
    this.close(ClosedReason.authenticationTimeout);
  }

  #onWriteDeadline(): void {
    this.#writeDeadlineTimer = null;
    if (this.closed || !this.outbound.blocked) return;
    this.#slowConsumer(ClosedReason.slowConsumerWriteDeadline);
  }

  #slowConsumer(reason: ClosedReason): void {
    this.context.stats.slowConsumers++;
    this.context.log.info(`${this.#label()} - Slow Consumer Detected: ${reason}`);
    // Queued data is dropped, not flushed: the point is to stop spending memory on this client.
    this.outbound.clear();
    this.close(reason);
  }

  #bindDefaultAccount(): Account | null {
    // Operations before CONNECT on a server without auth run in the default account.
    const account = this.context.authenticate(this, this.connect);
    if (account === null) {
      if (!this.closed) this.authViolation();
      return null;
    }
    this.#bindAccount(account);
    return account;
  }

  #bindAccount(account: Account): void {
    if (this.account === account) return;
    if (this.account) this.account.clientCount--;
    this.account = account;
    account.clientCount++;
  }

  #dropSubscriptions(): void {
    const sublist = this.account?.sublist;
    if (sublist) for (const sub of this.subscriptions.values()) sublist.remove(sub);
    this.subscriptions.clear();
  }

  #firstPingDelayMs(): number {
    const interval = this.context.options.pingIntervalMs;
    if (this.context.options.disableShortFirstPing || interval <= FIRST_CLIENT_PING_INTERVAL_MS) {
      return interval;
    }
    // Up to 20% jitter so that many clients connecting together do not ping together.
    return FIRST_CLIENT_PING_INTERVAL_MS + Math.floor(Math.random() * FIRST_CLIENT_PING_INTERVAL_MS / 5);
  }

  #armPingTimer(delayMs: number): void {
    if (this.#pingTimer !== null) clearTimeout(this.#pingTimer);
    this.#pingTimer = setTimeout(() => this.#onPingTimer(), delayMs);
    // Timers must not keep a shutting-down process alive.
    (this.#pingTimer as { unref?: () => void }).unref?.();
  }

  #onPingTimer(): void {
    this.#pingTimer = null;
    if (this.closed) return;
    const options = this.context.options;
    const now = this.context.clock.nowMs();
    const recentlyActive = now - this.#lastInMs < options.pingIntervalMs && this.rttMs > 0;
    if (!recentlyActive) {
      if (this.#pingsOutstanding + 1 > options.pingMax) {
        this.context.stats.staleConnections++;
        this.#sendErr(ERR.staleConnection);
        this.close(ClosedReason.staleConnection);
        return;
      }
      this.#pingsOutstanding++;
      this.#pingSentAtMs = now;
      this.#queueBytes(PING_BYTES);
    }
    this.#armPingTimer(options.pingIntervalMs);
  }

  #clearAuthTimer(): void {
    if (this.#authTimer !== null) clearTimeout(this.#authTimer);
    this.#authTimer = null;
  }

  #clearTimers(): void {
    this.#clearAuthTimer();
    if (this.#pingTimer !== null) clearTimeout(this.#pingTimer);
    if (this.#writeDeadlineTimer !== null) clearTimeout(this.#writeDeadlineTimer);
    this.#pingTimer = null;
    this.#writeDeadlineTimer = null;
  }

  #sendErr(text: string): void {
    if (this.#tracing) this.#traceOut(`-ERR '${text}'`);
    this.#queueText(errLine(text));
  }

  #queueBytes(bytes: Uint8Array): void {
    if (this.closed) return;
    this.outbound.append(bytes);
    this.context.flushQueue.add(this);
  }

  #queueText(text: string): void {
    if (this.closed) return;
    const bytes = new TextEncoder().encode(text);
    this.outbound.append(bytes);
    this.context.flushQueue.add(this);
  }

  get #tracing(): boolean {
    return this.context.log.traceEnabled;
  }

  #traceIn(op: string, arg: string): void {
    this.context.log.trace(`${this.#label()} - <<- [${arg ? `${op} ${arg}` : op}]`);
  }

  #traceOut(line: string): void {
    this.context.log.trace(`${this.#label()} - ->> [${line}]`);
  }

  /** As nats-server: `->> [MSG subject sid [reply] size]` (HMSG with both sizes). */
  #traceDelivery(sub: Subscription<ClientConnection>, args: PubArgs, size: number,
    stripHeaders: boolean): void {
    const subject = decode(args.argBuf, args.subjectStart, args.subjectEnd);
    const reply = decode(args.argBuf, args.replyStart, args.replyEnd);
    const withReply = reply ? `${subject} ${sub.sid} ${reply}` : `${subject} ${sub.sid}`;
    this.#traceOut(args.headerBytes > 0 && !stripHeaders
      ? `HMSG ${withReply} ${args.headerBytes} ${size}` : `MSG ${withReply} ${size}`);
  }

  #tracePub(args: PubArgs, payload: Uint8Array, start: number, end: number): void {
    const subject = decode(args.argBuf, args.subjectStart, args.subjectEnd);
    const reply = decode(args.argBuf, args.replyStart, args.replyEnd);
    const sizes = args.headerBytes >= 0 ? `${args.headerBytes} ${end - start}` : `${end - start}`;
    const op = args.headerBytes >= 0 ? "HPUB" : "PUB";
    this.#traceIn(op, reply ? `${subject} ${reply} ${sizes}` : `${subject} ${sizes}`);
    const shown = tracedPayload(payload.subarray(start, end), this.context.options.maxTracedMsgLen);
    if (shown !== null) this.context.log.trace(`${this.#label()} - <<- MSG_PAYLOAD: ${shown}`);
  }

  #label(): string {
    return `${this.socket.remoteAddress}:${this.socket.remotePort ?? 0} - cid:${this.cid}`;
  }
}
