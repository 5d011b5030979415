/**
 * What the consumer state machine is configured with, what it reads, and what it asks its driver
 * to do. Durations and times are bigint nanoseconds (times: unix ns); sequences, counts and sizes
 * are numbers.
 * @module
 */
import type { StreamStore } from "../../store/mod.ts";
import type { ConsumerStore } from "../store/mod.ts";
import type { AckSubjects } from "./ack_subject.ts";

export type DeliverPolicy =
  | "all"
  | "last"
  | "new"
  | "by_start_sequence"
  | "by_start_time"
  | "last_per_subject";
export type AckPolicy = "none" | "all" | "explicit";
export type ReplayPolicy = "instant" | "original";
export type PriorityPolicy = "none" | "overflow" | "pinned_client" | "prioritized";
export type Retention = "limits" | "interest" | "workqueue";

/** A consumer configuration after defaults and validation (the API layer's job). */
export interface CoreConfig {
  durable: boolean;
  deliverPolicy: DeliverPolicy;
  /** 0: none. */
  optStartSeq: number;
  optStartTimeNs: bigint | null;
  ackPolicy: AckPolicy;
  /** Defaulted: 30s for explicit/all, backoff[0] with a backoff. */
  ackWaitNs: bigint;
  /** -1 or 0: unlimited. */
  maxDeliver: number;
  backoffNs: readonly bigint[];
  /** filter_subject or filter_subjects; empty: every message. */
  filters: readonly string[];
  replayPolicy: ReplayPolicy;
  rateLimitBps: number;
  /** 0 or less: unlimited. */
  maxAckPending: number;
  maxWaiting: number;
  headersOnly: boolean;
  maxBatch: number;
  maxExpiresNs: bigint;
  maxBytes: number;
  /** "" for a pull consumer. */
  deliverSubject: string;
  deliverGroup: string;
  idleHeartbeatNs: bigint;
  flowControl: boolean;
  /**
   * ack_policy flow_control (2.14): acks as "all", given by flow control replies carrying
   * Nats-Last-Consumer / Nats-Last-Stream instead of $JS.ACK messages.
   */
  ackFlowControl?: boolean;
  /** 0n: none (durables only; ephemerals get a default). */
  inactiveThresholdNs: bigint;
  pauseUntilNs: bigint | null;
  priorityPolicy: PriorityPolicy;
  priorityGroups: readonly string[];
  pinnedTtlNs: bigint;
  /** Ack metric sampling, percent (0: off). */
  sampleFreq: number;
}

/** What the machine reads of the stream. */
export type StreamReader = Pick<
  StreamStore,
  | "loadMsg"
  | "loadNextMsg"
  | "loadNextMsgMulti"
  | "numPending"
  | "numPendingMulti"
  | "fastState"
  | "filteredState"
  | "subjectsState"
  | "getSeqFromTime"
>;

/** Everything the machine reads or asks for besides its inputs. All of it is synchronous. */
export interface ConsumerEnv {
  stream: StreamReader;
  /** The consumer's durable state; null for direct (mirror/source) consumers. */
  store: ConsumerStore | null;
  ackSubjects: AckSubjects;
  retention: Retention;
  /** The stream's max_msgs_per_subject (1 turns last_per_subject into all). */
  maxMsgsPerSubject: number;
  /** Rate limit burst: the stream's max_msg_size, else the account's max payload. */
  rateBurstBytes: number;
  /** True when a subscription would receive a message published to subject. */
  hasInterest(subject: string): boolean;
  /**
   * True when a pull request's reply came through a service import (an `_R_` reply mapped back
   * to the requester's account): losing interest in it is answered 408 Interest Expired.
   */
  importedReply?(subject: string): boolean;
  /** Uniform in [0, 1): jitter and flow-control suffixes (seeded in tests). */
  random(): number;
  /** A fresh pin id for pinned_client priority groups (a NUID in the server). */
  newPinId(): string;
}

/** An event the driver turns into an advisory or metric (Go's JSON) and publishes. */
export type ConsumerEvent =
  | { type: "max_deliver"; streamSeq: number; deliveries: number }
  | { type: "nak"; streamSeq: number; consumerSeq: number; deliveries: number }
  | {
    type: "terminated";
    streamSeq: number;
    consumerSeq: number;
    deliveries: number;
    reason: string;
  }
  | {
    type: "ack_metric";
    streamSeq: number;
    consumerSeq: number;
    deliveries: number;
    delayNs: bigint;
  }
  | { type: "pinned"; group: string; pinId: string }
  | { type: "unpinned"; group: string; reason: string }
  | { type: "paused"; paused: boolean; pauseUntilNs: bigint | null };

/** Something the driver must do, in order. */
export type ConsumerOutput =
  /** Publish a stream message to `to`, showing its original subject, with the ack reply. */
  | {
    kind: "msg";
    to: string;
    subject: string;
    reply: string;
    hdr: Uint8Array;
    payload: Uint8Array;
    streamSeq: number;
    consumerSeq: number;
    deliveries: number;
  }
  /** Publish a header-only status message (pull statuses, heartbeats, flow control). */
  | { kind: "status"; to: string; reply: string; hdr: Uint8Array }
  /** Answer an ack that asked for confirmation, with an empty message, once state is durable. */
  | { kind: "ack_reply"; to: string }
  /** Tell the stream this consumer is done with a message (interest / work queue retention). */
  | { kind: "stream_ack"; streamSeq: number }
  | { kind: "event"; event: ConsumerEvent; timeNs: bigint }
  /** The inactive threshold passed: delete the consumer. */
  | { kind: "inactive" };
