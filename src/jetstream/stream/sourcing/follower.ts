/**
 * One internal consumer that follows an origin stream for a mirror or a source, through the
 * origin's `$JS.API` like nats-server: a consumer create request with a fresh deliver subject,
 * then push deliveries with flow control and idle heartbeats. It tolerates an origin that is
 * absent, deleted, recreated or unreachable by asking again with back-off (retry.ts), and asks
 * again when deliveries went missing or the origin fell silent. Time and randomness come from
 * the host, so tests drive every retry with a FakeClock.
 * @module
 */
import type { Subscription } from "../../../client/subscription.ts";
import type { InternalClient } from "../../../server/internal_client.ts";
import type { ApiErrorJson } from "./info.ts";
import type { AckReplyInfo } from "../../consumer/core/ack_subject.ts";
import type { Clock, TimerId } from "../../store/mod.ts";
import type { StreamSource } from "../config.ts";
import { HDR, HeaderView } from "../headers.ts";
import {
  consumerCreateRequest, deliverSubject, randomToken, type StartAt,
} from "./consumer_request.ts";
import { parseDeliveryReply } from "./delivery_reply.ts";
import { CREATE_WAIT_NS, HEALTH_CHECK_NS, retryDelayNs } from "./retry.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const CONTROL_PREFIX = "NATS/1.0 100";
const LAST_CONSUMER = "Nats-Last-Consumer";
const LAST_STREAM = "Nats-Last-Stream";
const STALLED = "Nats-Consumer-Stalled";
/** err_codes after which nats-server asks again without `sourcing` (older origins). */
const DOWNGRADE_CODES = new Set([10185, 10025]);

/** What the follower needs from the stream it fills. */
export interface FollowerHost {
  readonly client: InternalClient;
  readonly clock: Clock;
  readonly stream: string;
  readonly account: string;
  readonly domain: string;
  random(): number;
  /** Where the next consumer starts; also resets the tracker's position. */
  startAt(): StartAt;
  /** The origin sequence the next consumer starts after (for heartbeat/loss checks). */
  lastOriginSeq(): number;
  /** A message of the current consumer: false asks for a new consumer. */
  deliver(subject: string, hdr: Uint8Array | null, payload: Uint8Array, reply: string,
    info: AckReplyInfo): boolean;
  /** An idle heartbeat's last consumer sequence: true when deliveries went missing. */
  missedDeliveries(lastConsumerSeq: number): boolean;
  /** The current position, for flow control answers. */
  position(): { dseq: number; sseq: number };
}

type Phase = "idle" | "scheduled" | "requesting" | "active" | "stopped";

export class Follower {
  readonly kind: "mirror" | "source";
  readonly origin: StreamSource;
  readonly consumerBase: string;
  /** The origin's error for the last request, as StreamSourceInfo reports it. */
  error: ApiErrorJson | null = null;
  /** When the origin last sent anything (unix ns), 0 before the first message. */
  lastActiveNs = 0n;
  fails = 0;
  consumerName = "";
  /** Consumer requests sent so far (tests watch retries with it). */
  requests = 0;
  readonly #host: FollowerHost;
  #phase: Phase = "idle";
  #lastRequestNs: bigint | null = null;
  #timer: TimerId | null = null;
  #replySub: Subscription<InternalClient> | null = null;
  #deliverSub: Subscription<InternalClient> | null = null;
  #sourcing = true;

  constructor(host: FollowerHost, kind: "mirror" | "source", origin: StreamSource,
    consumerBase: string) {
    this.#host = host;
    this.kind = kind;
    this.origin = origin;
    this.consumerBase = consumerBase;
  }

  get phase(): Phase {
    return this.#phase;
  }

  /** Starts following (after the scheduling delay nats-server also applies). */
  start(): void {
    if (this.#phase !== "idle") return;
    // nats-server asks for a mirror's consumer at once, a source's after the jitter.
    this.#schedule(this.kind === "mirror" ? 0n : null);
  }

  /** Stops for good: unsubscribes, cancels timers. */
  stop(): void {
    this.#cancel();
    this.#phase = "stopped";
  }

  /** Drops the current consumer and asks for a new one (after the back-off). */
  retry(): void {
    if (this.#phase === "stopped") return;
    this.#cancel();
    this.#dropConsumer();
    this.#schedule();
  }

  /**
   * Deletes the consumer being replaced, so the next create of the same stable name is not
   * refused as a different configuration (nats-server 2.14 instead suffixes sourcing consumer
   * names on the origin side). Fire and forget: a consumer already gone is fine, and one that
   * stays expires after its inactive threshold.
   */
  #dropConsumer(): void {
    const name = this.consumerName;
    if (name === "") return;
    this.consumerName = "";
    const api = this.origin.external?.api || "$JS.API";
    const subject = `${api}.CONSUMER.DELETE.${this.origin.name ?? ""}.${name}`;
    const inbox = `$JSC.R.${randomToken(() => this.#host.random())}`;
    this.#host.client.publish(subject.replaceAll("..", "."), inbox, null, new Uint8Array(0));
  }

  #schedule(delayNs: bigint | null = null): void {
    const clock = this.#host.clock;
    const delay = delayNs ?? retryDelayNs({ nowNs: clock.nowNs(),
      lastRequestNs: this.#lastRequestNs, fails: this.fails, random: this.#host.random() });
    this.#phase = "scheduled";
    this.#timer = clock.setTimer(clock.nowNs() + delay, () => {
      this.#timer = null;
      this.#request();
    });
  }

  #cancel(): void {
    const client = this.#host.client;
    if (this.#timer !== null) this.#host.clock.clearTimer(this.#timer);
    this.#timer = null;
    if (this.#replySub !== null) client.unsubscribe(this.#replySub);
    if (this.#deliverSub !== null) client.unsubscribe(this.#deliverSub);
    this.#replySub = null;
    this.#deliverSub = null;
    this.#phase = "idle";
  }

  #request(): void {
    const host = this.#host;
    this.#cancel();
    this.#phase = "requesting";
    this.#lastRequestNs = host.clock.nowNs();
    const deliver = deliverSubject(this.kind, this.origin.external, () => host.random());
    const name = this.#sourcing ? this.consumerBase
      : `${this.consumerBase}_${randomToken(() => host.random())}`;
    const { subject, body } = consumerCreateRequest({
      kind: this.kind, origin: this.origin, consumerName: name, deliverSubject: deliver,
      start: host.startAt(), stream: host.stream, account: host.account, domain: host.domain,
      sourcing: this.#sourcing,
    });
    this.#deliverSub = host.client.subscribe(deliver, this.#onDelivery);
    const inbox = `$JSC.R.${randomToken(() => host.random())}`;
    this.#replySub = host.client.subscribe(inbox, (_s, _r, _h, data) => this.#onCreated(data));
    this.#timer = host.clock.setTimer(host.clock.nowNs() + CREATE_WAIT_NS, () => {
      this.#timer = null;
      this.#failed();
    });
    this.requests++;
    const hdr = this.#sourcing ? encoder.encode(`NATS/1.0\r\n${HDR.requiredApiLevel}: 4\r\n\r\n`)
      : null;
    // Nobody serves the origin's API yet (JetStream still recovering, an import not yet
    // there): ask again after the retry threshold instead of waiting out CREATE_WAIT_NS.
    if (!host.client.publish(subject, inbox, hdr, encoder.encode(body))) this.retry();
  }

  #failed(): void {
    this.fails++;
    this.retry();
  }

  #onCreated(data: Uint8Array): void {
    if (this.#phase !== "requesting") return;
    let resp: { error?: ApiErrorJson; name?: string; config?: unknown };
    try {
      resp = JSON.parse(decoder.decode(data));
    } catch {
      this.error = { code: 400, err_code: 10025, description: "invalid JSON" };
      return this.#failed();
    }
    if (resp.error !== undefined || resp.config === undefined) {
      const err = resp.error ?? { code: 500, err_code: 10134,
        description: "consumer setup failed: invalid consumer create response" };
      if (this.#sourcing && DOWNGRADE_CODES.has(err.err_code)) {
        this.#sourcing = false;
        this.#lastRequestNs = null;
        return this.retry();
      }
      this.error = err;
      return this.#failed();
    }
    this.error = null;
    this.fails = 0;
    this.consumerName = resp.name ?? this.consumerBase;
    if (this.#replySub !== null) this.#host.client.unsubscribe(this.#replySub);
    this.#replySub = null;
    if (this.#timer !== null) this.#host.clock.clearTimer(this.#timer);
    this.#phase = "active";
    this.#armHealthCheck();
  }

  /** Silence past the health check interval means the consumer is gone: ask again. */
  #armHealthCheck(): void {
    const clock = this.#host.clock;
    this.#timer = clock.setTimer(clock.nowNs() + HEALTH_CHECK_NS, () => {
      this.#timer = null;
      const since = clock.nowNs() - this.lastActiveNs;
      if (since > HEALTH_CHECK_NS) {
        this.fails = 0;
        return this.retry();
      }
      this.#armHealthCheck();
    });
  }

  readonly #onDelivery = (
    subject: string, reply: string, hdr: Uint8Array | null, payload: Uint8Array,
  ): void => {
    if (this.#phase !== "active" && this.#phase !== "requesting") return;
    this.lastActiveNs = this.#host.clock.nowNs();
    if (hdr !== null && payload.length === 0 && isControl(hdr)) return this.#onControl(reply, hdr);
    const info = parseDeliveryReply(reply);
    if (info === null) return;
    if (!this.#host.deliver(subject, hdr, payload, reply, info)) this.retry();
  };

  #onControl(reply: string, hdr: Uint8Array): void {
    const host = this.#host;
    if (reply !== "") {
      const { dseq, sseq } = host.position();
      const answer = `NATS/1.0\r\n${LAST_CONSUMER}: ${dseq}\r\n${LAST_STREAM}: ${sseq}\r\n\r\n`;
      host.client.publish(reply, "", encoder.encode(answer), new Uint8Array(0));
      return;
    }
    const headers = new HeaderView(hdr);
    const last = Number(headers.get(LAST_CONSUMER) ?? "0");
    if (Number.isSafeInteger(last) && host.missedDeliveries(last)) return this.retry();
    const stalled = headers.get(STALLED);
    if (stalled !== null) host.client.publish(stalled, "", null, new Uint8Array(0));
  }
}

function isControl(hdr: Uint8Array): boolean {
  if (hdr.length < CONTROL_PREFIX.length) return false;
  for (let i = 0; i < CONTROL_PREFIX.length; i++) {
    if (hdr[i] !== CONTROL_PREFIX.charCodeAt(i)) return false;
  }
  return true;
}
