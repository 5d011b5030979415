/**
 * A test driver for ConsumerCore: a MemStore stream on a FakeClock, a memory consumer store, a
 * set of subjects with interest, a seeded random source, and the driver loop of
 * consumer_core.ts done synchronously, so every test runs deterministically without sleeping.
 * @module
 */
import { SeededRandom } from "../../../util/random.ts";
import { FakeClock, MemStore, type StoreLimits } from "../../store/mod.ts";
import { type ConsumerStore, MemConsumerStore } from "../store/mod.ts";
import { AckSubjects } from "./ack_subject.ts";
import { ConsumerCore } from "./consumer_core.ts";
import type { ConsumerEvent, ConsumerOutput, CoreConfig, Retention } from "./types.ts";

export const MS = 1_000_000n;
export const SECOND = 1_000_000_000n;
export const T0 = 1_700_000_000_000_000_000n;

const enc = new TextEncoder();
const dec = new TextDecoder();
export const bytes = (s: string): Uint8Array => enc.encode(s);
export const text = (b: Uint8Array): string => dec.decode(b);

/** A pull consumer with explicit acks and Go's defaults. */
export function pullConfig(over: Partial<CoreConfig> = {}): CoreConfig {
  return {
    durable: true,
    deliverPolicy: "all",
    optStartSeq: 0,
    optStartTimeNs: null,
    ackPolicy: "explicit",
    ackWaitNs: 30n * SECOND,
    maxDeliver: -1,
    backoffNs: [],
    filters: [],
    replayPolicy: "instant",
    rateLimitBps: 0,
    maxAckPending: 1000,
    maxWaiting: 512,
    headersOnly: false,
    maxBatch: 0,
    maxExpiresNs: 0n,
    maxBytes: 0,
    deliverSubject: "",
    deliverGroup: "",
    idleHeartbeatNs: 0n,
    flowControl: false,
    inactiveThresholdNs: 0n,
    pauseUntilNs: null,
    priorityPolicy: "none",
    priorityGroups: [],
    pinnedTtlNs: 0n,
    sampleFreq: 0,
    ...over,
  };
}

/** A push consumer delivering to "deliver". */
export function pushConfig(over: Partial<CoreConfig> = {}): CoreConfig {
  return pullConfig({ deliverSubject: "deliver", maxWaiting: 0, ...over });
}

/** A seeded uniform [0, 1) source (src/util/random.ts). */
export function seeded(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

export type MsgOut = Extract<ConsumerOutput, { kind: "msg" }>;
export type StatusOut = Extract<ConsumerOutput, { kind: "status" }>;

export interface HarnessOptions {
  config: CoreConfig;
  retention?: Retention;
  limits?: StoreLimits;
  /** Messages stored before the consumer starts, by subject. */
  preload?: string[];
  /** Reuse a stream (and optionally a consumer store) from an earlier harness. */
  stream?: MemStore;
  store?: ConsumerStore | null;
  clock?: FakeClock;
  maxMsgsPerSubject?: number;
  rateBurstBytes?: number;
  seed?: number;
}

export class Harness {
  readonly clock: FakeClock;
  readonly stream: MemStore;
  readonly store: ConsumerStore | null;
  readonly interest = new Set<string>(["deliver"]);
  /** Replies that came through a service import. */
  readonly imported = new Set<string>();
  readonly core: ConsumerCore;
  /** Every output so far, in order. */
  readonly log: ConsumerOutput[] = [];
  #pins = 0;

  constructor(options: HarnessOptions) {
    this.clock = options.clock ?? new FakeClock(T0);
    this.stream = options.stream ?? new MemStore({ clock: this.clock, limits: options.limits });
    for (const subject of options.preload ?? []) {
      this.stream.storeMsg(subject, null, bytes(subject));
    }
    const cfg = options.config;
    this.store = options.store !== undefined ? options.store : new MemConsumerStore({
      ackPolicy: cfg.ackPolicy,
      maxDeliver: cfg.maxDeliver,
      meta: new Uint8Array(0),
    });
    const random = seeded(options.seed ?? 1);
    this.core = new ConsumerCore({
      config: cfg,
      nowNs: this.clock.nowNs(),
      env: {
        stream: this.stream,
        store: this.store,
        ackSubjects: new AckSubjects({ stream: "S", consumer: "C" }),
        retention: options.retention ?? "limits",
        maxMsgsPerSubject: options.maxMsgsPerSubject ?? -1,
        rateBurstBytes: options.rateBurstBytes ?? 1024 * 1024,
        hasInterest: (subject) => this.interest.has(subject),
        importedReply: (subject) => this.imported.has(subject),
        random,
        newPinId: () => `PIN${++this.#pins}`,
      },
    });
    this.run();
  }

  get now(): bigint {
    return this.clock.nowNs();
  }

  /** Delivers while the machine wants to; returns the outputs produced. */
  run(): ConsumerOutput[] {
    let guard = 0;
    while (this.core.wantsDelivery) {
      this.core.deliver(this.now);
      if (++guard > 10_000) throw new Error("delivery loop does not settle");
    }
    const out = this.core.drain();
    this.log.push(...out);
    return out;
  }

  /** Stores a message and signals the consumer as the stream would. */
  publish(subject: string, payload = subject, hdr: Uint8Array | null = null): number {
    const { seq } = this.stream.storeMsg(subject, hdr, bytes(payload));
    this.core.streamMsg(seq, subject);
    return seq;
  }

  /** publish() then run(). */
  pub(...subjects: string[]): ConsumerOutput[] {
    for (const s of subjects) this.publish(s);
    return this.run();
  }

  /** Sends a pull request from reply (which gets interest). */
  pull(reply: string, body: string | object = "", run = true): ConsumerOutput[] {
    this.interest.add(reply);
    const raw = typeof body === "string" ? body : JSON.stringify(body);
    this.core.pullRequest(reply, bytes(raw), this.now);
    return run ? this.run() : [];
  }

  /** Acks a delivered message with body, optionally asking for an ack-sync reply. */
  ack(msg: MsgOut, body = "+ACK", reply = ""): ConsumerOutput[] {
    this.core.ack(msg.reply, reply, bytes(body), this.now);
    return this.run();
  }

  /** Moves time forward, running every timer at its own due time. */
  advance(ns: bigint): ConsumerOutput[] {
    const target = this.now + ns;
    const out: ConsumerOutput[] = [];
    for (let guard = 0; guard < 100_000; guard++) {
      const due = this.core.nextDeadline();
      if (due === null || due > target) break;
      if (due > this.now) this.clock.set(due);
      this.core.tick(this.now);
      out.push(...this.run());
      const after = this.core.nextDeadline();
      if (after !== null && after <= due && this.now === due) {
        throw new Error(`timer due at ${due} did not move`);
      }
    }
    this.clock.set(target);
    out.push(...this.run());
    return out;
  }
}

export function msgs(out: readonly ConsumerOutput[]): MsgOut[] {
  return out.filter((o): o is MsgOut => o.kind === "msg");
}

export function statuses(out: readonly ConsumerOutput[]): StatusOut[] {
  return out.filter((o): o is StatusOut => o.kind === "status");
}

export function events(out: readonly ConsumerOutput[]): ConsumerEvent[] {
  return out.flatMap((o) => (o.kind === "event" ? [o.event] : []));
}

export function streamSeqs(out: readonly ConsumerOutput[]): number[] {
  return msgs(out).map((m) => m.streamSeq);
}

/** The status line and headers of a status output, as text. */
export function statusText(o: StatusOut): string {
  return text(o.hdr);
}
