/**
 * The consumer create request a mirror or source sends its origin, as nats-server does
 * (stream.go: setupMirrorConsumer, trySetupSourceConsumer): a direct, ack-none push consumer
 * with flow control, 1 s heartbeats and a 10 s inactive threshold, on a fresh deliver subject,
 * sent to the origin's `$JS.API` (or the external api prefix).
 * @module
 */
import { rfc3339Nano } from "../../api/go_json.ts";
import { HASH_DIGITS } from "../../consumer/core/ack_subject.ts";
import type { ExternalStream, StreamSource } from "../config.ts";
import { HEALTH_CHECK_NS, HEARTBEAT_NS } from "./retry.ts";

const API_PREFIX = "$JS.API";
/** ack_wait of sourcing consumers: 22 hours, as nats-server. */
const SOURCING_ACK_WAIT_NS = 22n * 3600n * 1_000_000_000n;
const RANDOM_SUFFIX_CHARS = 8;

/** Where the consumer should start. */
export type StartAt =
  | { policy: "all" }
  | { policy: "by_start_sequence"; seq: number }
  | { policy: "by_start_time"; timeNs: bigint };

export interface ConsumerRequestInput {
  kind: "mirror" | "source";
  origin: StreamSource;
  /** JS_MIRROR_<hash> / JS_SRC_<hash>. */
  consumerName: string;
  deliverSubject: string;
  start: StartAt;
  /** `_nats.mirror.*` / `_nats.src.*` metadata: our stream, account and domain. */
  stream: string;
  account: string;
  domain: string;
  /** Ask for a sourcing consumer (2.14); off when the origin refused it. */
  sourcing: boolean;
}

/** `n` base-62 characters from `random`. */
export function randomToken(random: () => number, n = RANDOM_SUFFIX_CHARS): string {
  let out = "";
  for (let i = 0; i < n; i++) out += HASH_DIGITS[Math.floor(random() * 62)];
  return out;
}

/** A fresh deliver subject: `$JS.M.<rand>` / `$JS.S.<rand>` or under the external prefix. */
export function deliverSubject(kind: "mirror" | "source", ext: ExternalStream | undefined,
  random: () => number): string {
  const tag = kind === "mirror" ? "M" : "S";
  const token = randomToken(random);
  if (ext?.deliver) return `${ext.deliver}.${tag}.${token}`.replaceAll("..", ".");
  return `$JS.${tag}.${token}`;
}

/** The filters the consumer should have: the filter, or the transforms' sources. */
export function originFilters(origin: StreamSource): string[] {
  if (origin.filter_subject) return [origin.filter_subject];
  return (origin.subject_transforms ?? []).map((t) => t.src || ">");
}

/** The request subject and JSON body. */
export function consumerCreateRequest(input: ConsumerRequestInput):
  { subject: string; body: string } {
  const { origin, start } = input;
  const filters = originFilters(input.origin);
  const prefix = input.kind === "mirror" ? "_nats.mirror" : "_nats.src";
  const metadata: Record<string, string> = {
    [`${prefix}.stream`]: input.stream,
    [`${prefix}.acc`]: input.account,
  };
  if (input.domain !== "") metadata[`${prefix}.domain`] = input.domain;
  const config: Record<string, unknown> = {
    name: input.consumerName,
    deliver_subject: input.deliverSubject,
    deliver_policy: start.policy,
    opt_start_seq: start.policy === "by_start_sequence" ? start.seq : undefined,
    opt_start_time: start.policy === "by_start_time" ? rfc3339Nano(start.timeNs) : undefined,
    ack_policy: "none",
    ack_wait: SOURCING_ACK_WAIT_NS,
    max_deliver: 1,
    filter_subject: filters.length === 1 ? filters[0] : undefined,
    filter_subjects: filters.length > 1 ? filters : undefined,
    replay_policy: "instant",
    flow_control: true,
    idle_heartbeat: HEARTBEAT_NS,
    inactive_threshold: HEALTH_CHECK_NS,
    direct: true,
    sourcing: input.sourcing ? true : undefined,
    metadata,
  };
  const stream = origin.name ?? "";
  let subject = filters.length === 1
    ? `${API_PREFIX}.CONSUMER.CREATE.${stream}.${input.consumerName}.${filters[0]}`
    : `${API_PREFIX}.CONSUMER.CREATE.${stream}`;
  if (origin.external !== undefined) {
    subject = (origin.external.api ?? "") + subject.slice(API_PREFIX.length);
    subject = subject.replaceAll("..", ".");
  }
  const body = JSON.stringify({ stream_name: stream, config },
    (_k, v) => (typeof v === "bigint" ? Number(v) : v));
  return { subject, body };
}
