/**
 * ConsumerConfig as the JetStream API carries it: the request schemas (strict decoding with Go's
 * field names and types), the checked configuration, its JSON in nats-server's field order, and
 * the state machine's view of it (CoreConfig). Fields keep their wire names; durations and times
 * are bigint nanoseconds.
 * @module
 */
import type { JsonValue } from "../api/go_json.ts";
import {
  array, bool, duration, goEnum, int, map, object, type Schema, str, time,
} from "../api/json_decode.ts";
import type { CoreConfig, DeliverPolicy, PriorityPolicy, ReplayPolicy } from "./core/mod.ts";

export type WireAckPolicy = "none" | "all" | "explicit" | "flow_control";

/** A consumer configuration as requested: any field may be missing (Go's zero value). */
export interface ConsumerConfigInput {
  durable_name?: string;
  name?: string;
  description?: string;
  deliver_policy?: DeliverPolicy;
  opt_start_seq?: number;
  /** Unix nanoseconds. */
  opt_start_time?: bigint;
  ack_policy?: WireAckPolicy;
  ack_wait?: bigint;
  max_deliver?: number;
  backoff?: bigint[];
  filter_subject?: string;
  filter_subjects?: string[];
  replay_policy?: ReplayPolicy;
  rate_limit_bps?: number;
  sample_freq?: string;
  max_waiting?: number;
  max_ack_pending?: number;
  flow_control?: boolean;
  headers_only?: boolean;
  max_batch?: number;
  max_expires?: bigint;
  max_bytes?: number;
  deliver_subject?: string;
  deliver_group?: string;
  idle_heartbeat?: bigint;
  inactive_threshold?: bigint;
  num_replicas?: number;
  mem_storage?: boolean;
  direct?: boolean;
  sourcing?: boolean;
  metadata?: Record<string, string>;
  /** Unix nanoseconds. */
  pause_until?: bigint;
  priority_groups?: string[];
  priority_policy?: PriorityPolicy;
  priority_timeout?: bigint;
}

/** A checked configuration: defaults applied. */
export interface ConsumerConfig extends ConsumerConfigInput {
  deliver_policy: DeliverPolicy;
  ack_policy: WireAckPolicy;
  replay_policy: ReplayPolicy;
  max_deliver: number;
  max_ack_pending: number;
  num_replicas: number;
}

export type ConsumerAction = "" | "create" | "update";

/** CONSUMER.CREATE request body (CreateConsumerRequest). */
export interface CreateConsumerRequest {
  stream_name?: string;
  config?: ConsumerConfigInput;
  action?: ConsumerAction;
  pedantic?: boolean;
}

const action: Schema = {
  k: "custom",
  go: "server.ConsumerAction",
  decode: (_node, raw) => {
    if (raw === '"create"') return { value: "create" };
    if (raw === '"update"') return { value: "update" };
    if (raw === '""') return { value: "" };
    return { error: `unknown consumer action: ${raw}` };
  },
};

const priorityPolicy: Schema = {
  k: "custom",
  go: "server.PriorityPolicy",
  decode: (_node, raw) => {
    const value = { '"none"': "none", '"overflow"': "overflow", '"pinned_client"': "pinned_client",
      '"prioritized"': "prioritized" }[raw];
    return value !== undefined ? { value } : { error: `unknown priority policy: ${raw}` };
  },
};

/** The fields of ConsumerConfig in nats-server's struct order, with their JSON types. */
export const CONSUMER_CONFIG_FIELDS: Readonly<Record<string, Schema>> = {
  durable_name: str,
  name: str,
  description: str,
  deliver_policy: goEnum("server.DeliverPolicy", {
    all: "all", undefined: "all", last: "last", new: "new", by_start_sequence: "by_start_sequence",
    by_start_time: "by_start_time", last_per_subject: "last_per_subject",
  }),
  opt_start_seq: int("uint64"),
  opt_start_time: time,
  ack_policy: goEnum("server.AckPolicy",
    { none: "none", all: "all", explicit: "explicit", flow_control: "flow_control" }),
  ack_wait: duration,
  max_deliver: int("int"),
  backoff: array(duration),
  filter_subject: str,
  filter_subjects: array(str),
  replay_policy: goEnum("server.ReplayPolicy", { instant: "instant", original: "original" }),
  rate_limit_bps: int("uint64"),
  sample_freq: str,
  max_waiting: int("int"),
  max_ack_pending: int("int"),
  flow_control: bool,
  headers_only: bool,
  max_batch: int("int"),
  max_expires: duration,
  max_bytes: int("int"),
  deliver_subject: str,
  deliver_group: str,
  idle_heartbeat: duration,
  inactive_threshold: duration,
  num_replicas: int("int"),
  mem_storage: bool,
  direct: bool,
  sourcing: bool,
  metadata: map(str),
  pause_until: time,
  priority_groups: array(str),
  priority_policy: priorityPolicy,
  priority_timeout: duration,
};

export const CONSUMER_CONFIG_SCHEMA = object("ConsumerConfig", CONSUMER_CONFIG_FIELDS);

export const CREATE_CONSUMER_REQUEST: Schema = object("CreateConsumerRequest", {
  stream_name: str,
  config: CONSUMER_CONFIG_SCHEMA,
  action,
  pedantic: bool,
});

/** Fields Go always writes (no omitempty). */
const ALWAYS = new Set(["deliver_policy", "ack_policy", "replay_policy", "num_replicas"]);

function isZero(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === "") return true;
  if (value === 0 || value === 0n) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value as object).length === 0;
  return false;
}

/** The configuration's JSON fields in Go's order; times through `time` (RFC 3339). */
export function consumerConfigJson(
  cfg: ConsumerConfigInput,
  rfc3339: (ns: bigint) => string,
): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  const source = cfg as Record<string, unknown>;
  for (const key of Object.keys(CONSUMER_CONFIG_FIELDS)) {
    const value = source[key];
    if (!ALWAYS.has(key) && isZero(value)) continue;
    if (key === "opt_start_time" || key === "pause_until") out[key] = rfc3339(value as bigint);
    else if (key === "metadata") out[key] = new Map(Object.entries(value as object));
    else out[key] = (value ?? 0) as JsonValue;
  }
  return out;
}

/** Two configurations are the same (reflect.DeepEqual over what JSON carries). */
export function sameConsumerConfig(a: ConsumerConfigInput, b: ConsumerConfigInput): boolean {
  const text = (c: ConsumerConfigInput) =>
    JSON.stringify(consumerConfigJson(c, (ns) => ns.toString()), (_k, v) =>
      typeof v === "bigint" ? v.toString() : v instanceof Map ? [...v].sort() : v);
  return text(a) === text(b);
}

/** The filters of a configuration (gatherSubjectFilters). */
export function configFilters(cfg: ConsumerConfigInput): string[] {
  const filters = [...(cfg.filter_subjects ?? [])];
  if ((cfg.filter_subject ?? "") !== "") filters.push(cfg.filter_subject!);
  return filters;
}

/** The sample frequency percent of `sample_freq` ("50%" or "50"); 0 when unset. */
export function sampleFrequency(text: string | undefined): number {
  if (text === undefined || text === "") return 0;
  const n = Number.parseInt(text.endsWith("%") ? text.slice(0, -1) : text, 10);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** What the state machine runs on. */
export function coreConfig(cfg: ConsumerConfig): CoreConfig {
  return {
    durable: (cfg.durable_name ?? "") !== "",
    deliverPolicy: cfg.deliver_policy,
    optStartSeq: cfg.opt_start_seq ?? 0,
    optStartTimeNs: cfg.opt_start_time ?? null,
    // flow_control acks (2.14) work like "all", driven by flow control replies.
    ackPolicy: cfg.ack_policy === "flow_control" ? "all" : cfg.ack_policy,
    ackFlowControl: cfg.ack_policy === "flow_control",
    ackWaitNs: cfg.ack_wait ?? 0n,
    maxDeliver: cfg.max_deliver,
    backoffNs: cfg.backoff ?? [],
    filters: configFilters(cfg),
    replayPolicy: cfg.replay_policy,
    rateLimitBps: cfg.rate_limit_bps ?? 0,
    maxAckPending: cfg.max_ack_pending,
    maxWaiting: cfg.max_waiting ?? 0,
    headersOnly: cfg.headers_only ?? false,
    maxBatch: cfg.max_batch ?? 0,
    maxExpiresNs: cfg.max_expires ?? 0n,
    maxBytes: cfg.max_bytes ?? 0,
    deliverSubject: cfg.deliver_subject ?? "",
    deliverGroup: cfg.deliver_group ?? "",
    idleHeartbeatNs: cfg.idle_heartbeat ?? 0n,
    flowControl: cfg.flow_control ?? false,
    inactiveThresholdNs: cfg.inactive_threshold ?? 0n,
    pauseUntilNs: cfg.pause_until ?? null,
    priorityPolicy: cfg.priority_policy ?? "none",
    priorityGroups: cfg.priority_groups ?? [],
    pinnedTtlNs: cfg.priority_timeout ?? 0n,
    sampleFreq: sampleFrequency(cfg.sample_freq),
  };
}
