/**
 * Consumer: the driver around one ConsumerCore. It subscribes the consumer's subjects (acks,
 * flow control, MSG.NEXT, RESET), feeds what arrives into the machine, runs its delivery loop
 * in bounded rounds, sends what the machine asks for (messages routed to their delivery subject,
 * statuses, advisories, ack-sync replies once the consumer store is durable), and keeps one timer
 * armed for the machine's next deadline. Everything it decides is the machine's.
 * @module
 */
import type { Account } from "../../accounts/account.ts";
import type { Subscription } from "../../client/subscription.ts";
import type { InternalClient } from "../../server/internal_client.ts";
import { goJson, type JsonValue } from "../api/go_json.ts";
import type { Clock, StreamStore, TimerId } from "../store/mod.ts";
import type { ConsumerStore } from "./store/mod.ts";
import {
  actionAdvisory,
  type Advisory,
  type AdvisoryContext,
  eventAdvisory,
} from "./advisories.ts";
import { type ConsumerConfig, coreConfig } from "./config.ts";
import {
  AckSubjects,
  ConsumerCore,
  type ConsumerOutput,
  type CoreInfo,
  type Retention,
} from "./core/mod.ts";
import { deliverAs, hasInterest } from "./deliver_as.ts";
import {
  deliveryInterest, hookAccount, replyInterest, trackDownReply, unwatchSubjects, watchSubjects,
} from "./delivery_interest.ts";
import { requiresHigherApiLevel } from "../stream/direct_get.ts";

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);
/** Delivery rounds in one turn of the event loop before yielding to I/O. */
const ROUNDS_PER_TURN_MAX = 8;

/** What a consumer needs from its stream and account. */
export interface ConsumerHost {
  readonly account: Account;
  readonly client: InternalClient;
  readonly clock: Clock;
  readonly domain: string;
  readonly streamName: string;
  readonly store: StreamStore;
  readonly retention: Retention;
  readonly maxMsgsPerSubject: number;
  readonly rateBurstBytes: number;
  newId(): string;
  warn(message: string): void;
  /** The consumer is done with a message (interest and work-queue retention). */
  streamAck(consumer: Consumer, seq: number): void;
  /** The inactivity threshold passed: the consumer should go. */
  inactive(consumer: Consumer): void;
  /** Handles CONSUMER.RESET for this consumer (answers the request). */
  reset(consumer: Consumer, reply: string, hdr: Uint8Array | null, body: Uint8Array): void;
}

export interface ConsumerOptions {
  name: string;
  config: ConsumerConfig;
  createdNs: bigint;
  store: ConsumerStore;
}

export class Consumer {
  readonly name: string;
  readonly createdNs: bigint;
  readonly store: ConsumerStore;
  readonly core: ConsumerCore;
  readonly ackSubjects: AckSubjects;
  #config: ConsumerConfig;
  readonly #host: ConsumerHost;
  #subs: Subscription<InternalClient>[] = [];
  #timer: TimerId | null = null;
  #timerAtNs: bigint | null = null;
  #pumpQueued = false;
  #ackReplies: string[] = [];
  /** A subscription on a subject the push interest depends on came or went. */
  #interestDirty = true;
  #watched: string[] = [];
  readonly #onInterestChange = () => {
    this.#interestDirty = true;
    this.schedule();
  };
  #closed = false;

  constructor(host: ConsumerHost, options: ConsumerOptions) {
    this.#host = host;
    this.name = options.name;
    this.createdNs = options.createdNs;
    this.store = options.store;
    this.#config = options.config;
    this.ackSubjects = new AckSubjects({
      stream: host.streamName,
      consumer: options.name,
      domain: host.domain,
      account: host.account.name,
    });
    this.core = new ConsumerCore({
      config: coreConfig(options.config),
      nowNs: host.clock.nowNs(),
      env: {
        stream: host.store,
        store: options.store,
        ackSubjects: this.ackSubjects,
        get retention() {
          return host.retention;
        },
        maxMsgsPerSubject: host.maxMsgsPerSubject,
        rateBurstBytes: host.rateBurstBytes,
        hasInterest: (subject) => subject === (this.#config.deliver_subject ?? "")
          ? this.#pushInterest() : replyInterest(host.account, subject),
        importedReply: (subject) => trackDownReply(host.account, subject) !== null,
        random: Math.random,
        newPinId: () => host.newId(),
      },
    });
  }

  get config(): ConsumerConfig {
    return this.#config;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Subscribes the consumer's subjects and starts delivering. */
  start(): void {
    const client = this.#host.client;
    const subscribe = (subject: string, fn: (s: string, r: string, h: Uint8Array | null,
      b: Uint8Array) => void) => this.#subs.push(client.subscribe(subject, fn));
    // flow_control acks arrive with flow control replies, not on $JS.ACK (nats-server alike).
    const ack = this.#config.ack_policy;
    if (ack !== "none" && ack !== "flow_control") {
      for (const subject of this.ackSubjects.ackSubscriptions) {
        subscribe(subject, (s, reply, _h, body) => this.#input((now) =>
          this.core.ack(s, reply, body, now)));
      }
    }
    if (this.#config.flow_control) {
      for (const subject of this.ackSubjects.fcSubscriptions) {
        subscribe(subject, (s, _r, hdr) => this.#input((now) =>
          this.core.flowControlReply(s, hdr, now)));
      }
    }
    const names = `${this.#host.streamName}.${this.name}`;
    for (const prefix of this.#apiPrefixes()) {
      subscribe(`${prefix}.CONSUMER.MSG.NEXT.${names}`, (_s, reply, hdr, body) =>
        this.#pullRequest(reply, hdr, body));
      subscribe(`${prefix}.CONSUMER.RESET.${names}`, (_s, reply, hdr, body) => {
        if (reply !== "") this.#host.reset(this, reply, hdr, body.slice());
      });
    }
    this.#advise(actionAdvisory("create", this.#advisoryContext()));
    const pause = this.#config.pause_until;
    if (pause !== undefined && pause > this.#host.clock.nowNs()) {
      const event = { type: "paused" as const, paused: true, pauseUntilNs: pause };
      this.#advise(eventAdvisory(event, this.#advisoryContext()));
    }
    this.schedule();
  }

  #apiPrefixes(): string[] {
    const domain = this.#host.domain;
    return domain === "" ? ["$JS.API"] : ["$JS.API", `$JS.${domain}.API`];
  }

  #pullRequest(reply: string, hdr: Uint8Array | null, body: Uint8Array): void {
    if (reply === "") return;
    if (requiresHigherApiLevel(hdr)) {
      const status = encoder.encode("NATS/1.0 412 Required Api Level\r\n\r\n");
      this.#host.client.publish(reply, "", status, EMPTY);
      return;
    }
    this.#input((now) => this.core.pullRequest(reply, body, now));
  }

  /** Feeds an input to the machine and makes sure the results go out. */
  #input(fn: (nowNs: bigint) => void): void {
    if (this.#closed) return;
    fn(this.#host.clock.nowNs());
    this.schedule();
  }

  /** Runs the delivery loop soon (after the current read batch). */
  schedule(): void {
    if (this.#pumpQueued || this.#closed) return;
    this.#pumpQueued = true;
    queueMicrotask(() => this.#pump());
  }

  #pump(): void {
    this.#pumpQueued = false;
    if (this.#closed) return;
    const now = this.#host.clock.nowNs();
    this.#checkInterest(now);
    for (let round = 0; round < ROUNDS_PER_TURN_MAX; round++) {
      if (this.core.wantsDelivery) this.core.deliver(now);
      const outputs = this.core.drain();
      if (outputs.length === 0 && !this.core.wantsDelivery) break;
      this.#send(outputs, now);
    }
    if (this.core.wantsDelivery && !this.#closed) {
      // More to do: let I/O in first.
      this.#pumpQueued = true;
      setImmediate(() => this.#pump());
    }
    this.#flushAckReplies();
    this.#armTimer();
  }

  #send(outputs: readonly ConsumerOutput[], now: bigint): void {
    const host = this.#host;
    for (const out of outputs) {
      switch (out.kind) {
        case "msg":
          if (!deliverAs(host.account, out)) this.core.didNotDeliver(out.streamSeq, out.to, now);
          break;
        case "status":
          host.client.publish(out.to, out.reply, out.hdr, EMPTY);
          break;
        case "ack_reply":
          this.#ackReplies.push(out.to);
          break;
        case "stream_ack":
          host.streamAck(this, out.streamSeq);
          break;
        case "event":
          this.#advise(eventAdvisory(out.event, this.#advisoryContext(out.timeNs)));
          break;
        case "inactive":
          host.inactive(this);
          return;
      }
    }
  }

  /** Ack-sync replies wait until the consumer store has the acks on disk. */
  #flushAckReplies(): void {
    if (this.#ackReplies.length === 0) return;
    const replies = this.#ackReplies;
    this.#ackReplies = [];
    const send = () => {
      for (const to of replies) this.#host.client.publish(to, "", null, EMPTY);
    };
    this.store.flushed().then(send, (error: unknown) => {
      this.#host.warn(`Consumer '${this.#host.streamName} > ${this.name}' state write failed: ${
        (error as Error).message}`);
    });
  }

  /**
   * Push interest now, watching the subjects that decide it so that a subscriber coming or
   * going reruns this (nats-server's sublist notifications).
   */
  #pushInterest(): boolean {
    this.#interestDirty = false;
    const deliver = this.#config.deliver_subject ?? "";
    if (deliver === "" || this.#closed) return false;
    const probe = deliveryInterest(this.#host.account, deliver, this.#config.deliver_group ?? "");
    for (const account of probe.accounts) hookAccount(account);
    this.#watched = watchSubjects(this.#onInterestChange, this.#watched, probe.subjects);
    return probe.interest;
  }

  /** Tells the machine when a subscriber on the deliver subject came or went. */
  #checkInterest(now: bigint): void {
    if (!this.#interestDirty || (this.#config.deliver_subject ?? "") === "") return;
    const interest = this.#pushInterest();
    if (interest !== this.core.pushActive) this.core.setInterest(interest, now);
  }

  #armTimer(): void {
    if (this.#closed) return;
    const at = this.core.nextDeadline();
    if (at === this.#timerAtNs) return;
    const clock = this.#host.clock;
    if (this.#timer !== null) clock.clearTimer(this.#timer);
    this.#timer = null;
    this.#timerAtNs = at;
    if (at === null) return;
    this.#timer = clock.setTimer(at, () => {
      this.#timer = null;
      this.#timerAtNs = null;
      if (this.#closed) return;
      this.core.tick(clock.nowNs());
      this.#pump();
    });
  }

  #advisoryContext(timeNs?: bigint): AdvisoryContext {
    return {
      stream: this.#host.streamName,
      consumer: this.name,
      account: this.#host.account.name,
      domain: this.#host.domain,
      id: this.#host.newId(),
      timeNs: timeNs ?? this.#host.clock.nowNs(),
    };
  }

  #advise(advisory: Advisory): void {
    if (!hasInterest(this.#host.account, advisory.subject)) return;
    this.#host.client.publish(advisory.subject, "", null,
      encoder.encode(goJson(advisory.body as JsonValue)));
  }

  /** The machine's ConsumerInfo numbers now. */
  info(): CoreInfo {
    const info = this.core.info(this.#host.clock.nowNs());
    // Info may sweep pull requests and produce statuses.
    this.schedule();
    return info;
  }

  /** Applies a checked configuration update. */
  updateConfig(config: ConsumerConfig, meta: Uint8Array): void {
    this.#config = config;
    this.store.updateConfig({ ackPolicy: config.ack_policy, maxDeliver: config.max_deliver, meta });
    this.core.updateConfig(coreConfig(config), this.#host.clock.nowNs());
    this.#interestDirty = true;
    this.schedule();
  }

  /**
   * Stops: unsubscribes, answers waiting pull requests when deleted, and stops or deletes the
   * store. `advisory` publishes the deleted advisory.
   */
  async stop(options: { deleted: boolean; advisory: boolean }): Promise<void> {
    if (this.#closed) return;
    this.core.stop({ deleted: options.deleted });
    this.#send(this.core.drain(), this.#host.clock.nowNs());
    this.#flushAckReplies();
    this.#closed = true;
    for (const sub of this.#subs) this.#host.client.unsubscribe(sub);
    this.#subs = [];
    unwatchSubjects(this.#onInterestChange, this.#watched);
    this.#watched = [];
    if (this.#timer !== null) this.#host.clock.clearTimer(this.#timer);
    this.#timer = null;
    if (options.deleted && options.advisory) {
      this.#advise(actionAdvisory("delete", this.#advisoryContext()));
    }
    if (options.deleted) await this.store.delete();
    else await this.store.stop();
  }
}
