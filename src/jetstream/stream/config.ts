/**
 * StreamConfig as the JetStream API carries it: the request schema (strict decoding with Go's
 * field names and types), the checked configuration type, and its JSON in nats-server's field
 * order. Fields keep their wire names so a configuration round-trips unchanged; durations are
 * bigint nanoseconds.
 * @module
 */
import type { JsonValue } from "../api/go_json.ts";
import {
  array, bool, duration, goEnum, int, map, object, type Schema, str, time,
} from "../api/json_decode.ts";

export type RetentionPolicy = "limits" | "interest" | "workqueue";
export type DiscardPolicy = "old" | "new";
export type StorageType = "file" | "memory";
export type Compression = "none" | "s2";
export type PersistMode = "default" | "async";

export interface Placement {
  cluster?: string;
  tags?: string[];
  preferred?: string;
}

export interface SubjectTransformConfig {
  src?: string;
  dest?: string;
}

export interface RePublish {
  src?: string;
  dest?: string;
  headers_only?: boolean;
}

export interface ExternalStream {
  api?: string;
  deliver?: string;
}

export interface StreamSource {
  name?: string;
  opt_start_seq?: number;
  /** Unix nanoseconds. */
  opt_start_time?: bigint;
  filter_subject?: string;
  subject_transforms?: SubjectTransformConfig[];
  external?: ExternalStream;
  consumer?: { name?: string; deliver_subject?: string };
}

export interface ConsumerLimits {
  inactive_threshold?: bigint;
  max_ack_pending?: number;
}

/** A stream configuration as requested: any field may be missing (Go's zero value). */
export interface StreamConfigInput {
  name?: string;
  description?: string;
  subjects?: string[];
  retention?: RetentionPolicy;
  max_consumers?: number;
  max_msgs?: number;
  max_bytes?: number;
  max_age?: bigint;
  max_msgs_per_subject?: number;
  max_msg_size?: number;
  discard?: DiscardPolicy;
  storage?: StorageType;
  num_replicas?: number;
  no_ack?: boolean;
  duplicate_window?: bigint;
  placement?: Placement;
  mirror?: StreamSource;
  sources?: StreamSource[];
  compression?: Compression;
  first_seq?: number;
  subject_transform?: SubjectTransformConfig;
  republish?: RePublish;
  allow_direct?: boolean;
  mirror_direct?: boolean;
  discard_new_per_subject?: boolean;
  sealed?: boolean;
  deny_delete?: boolean;
  deny_purge?: boolean;
  allow_rollup_hdrs?: boolean;
  consumer_limits?: ConsumerLimits;
  allow_msg_ttl?: boolean;
  subject_delete_marker_ttl?: bigint;
  allow_msg_counter?: boolean;
  allow_atomic?: boolean;
  allow_msg_schedules?: boolean;
  persist_mode?: PersistMode;
  allow_batched?: boolean;
  metadata?: Record<string, string>;
}

/** A create/update request: the configuration plus `pedantic`. */
export interface StreamConfigRequest extends StreamConfigInput {
  pedantic?: boolean;
}

/** A checked configuration: defaults applied, every always-present field set. */
export interface StreamConfig extends StreamConfigInput {
  name: string;
  retention: RetentionPolicy;
  max_consumers: number;
  max_msgs: number;
  max_bytes: number;
  max_age: bigint;
  max_msgs_per_subject: number;
  max_msg_size: number;
  discard: DiscardPolicy;
  storage: StorageType;
  num_replicas: number;
  duplicate_window: bigint;
  compression: Compression;
  allow_direct: boolean;
  mirror_direct: boolean;
  sealed: boolean;
  deny_delete: boolean;
  deny_purge: boolean;
  allow_rollup_hdrs: boolean;
  consumer_limits: ConsumerLimits;
  allow_msg_ttl: boolean;
  subjects: string[];
}

const transform = object("SubjectTransformConfig", { src: str, dest: str });
const source = object("StreamSource", {
  name: str,
  opt_start_seq: int("uint64"),
  opt_start_time: time,
  filter_subject: str,
  subject_transforms: array(transform),
  external: object("ExternalStream", { api: str, deliver: str }),
  consumer: object("StreamConsumerSource", { name: str, deliver_subject: str }),
});

const compression: Schema = {
  k: "custom",
  go: "server.StoreCompression",
  decode: (node) => {
    if (node.t !== "str") {
      return { error: `json: cannot unmarshal ${node.t === "num" ? "number" : node.t === "bool"
        ? "bool" : node.t === "arr" ? "array" : "object"} into Go value of type string` };
    }
    if (node.v === "s2" || node.v === "none") return { value: node.v };
    return { error: "unknown compression algorithm" };
  },
};

/** The fields of StreamConfig in nats-server's struct order, with their JSON types. */
export const STREAM_CONFIG_FIELDS: Readonly<Record<string, Schema>> = {
  name: str,
  description: str,
  subjects: array(str),
  retention: goEnum("server.RetentionPolicy",
    { limits: "limits", interest: "interest", workqueue: "workqueue" }),
  max_consumers: int("int"),
  max_msgs: int("int64"),
  max_bytes: int("int64"),
  max_age: duration,
  max_msgs_per_subject: int("int64"),
  max_msg_size: int("int32"),
  discard: goEnum("server.DiscardPolicy", { old: "old", new: "new" }, true),
  storage: goEnum("server.StorageType", { file: "file", memory: "memory" }),
  num_replicas: int("int"),
  no_ack: bool,
  duplicate_window: duration,
  placement: object("Placement", { cluster: str, tags: array(str), preferred: str }),
  mirror: source,
  sources: array(source),
  compression,
  first_seq: int("uint64"),
  subject_transform: transform,
  republish: object("RePublish", { src: str, dest: str, headers_only: bool }),
  allow_direct: bool,
  mirror_direct: bool,
  discard_new_per_subject: bool,
  sealed: bool,
  deny_delete: bool,
  deny_purge: bool,
  allow_rollup_hdrs: bool,
  consumer_limits: object("StreamConsumerLimits",
    { inactive_threshold: duration, max_ack_pending: int("int") }),
  allow_msg_ttl: bool,
  subject_delete_marker_ttl: duration,
  allow_msg_counter: bool,
  allow_atomic: bool,
  allow_msg_schedules: bool,
  persist_mode: goEnum("server.PersistModeType", { default: "default", "": "default",
    async: "async" }),
  allow_batched: bool,
  metadata: map(str),
};

/** STREAM.CREATE / STREAM.UPDATE request body. */
export const STREAM_CONFIG_REQUEST: Schema = object("StreamConfigRequest",
  { ...STREAM_CONFIG_FIELDS, pedantic: bool });

/** A stored configuration (meta.inf): the configuration and its creation time. */
export const STORED_STREAM_CONFIG: Schema = object("FileStreamInfo",
  { ...STREAM_CONFIG_FIELDS, created: time });

const omitEmpty = <T>(v: T | undefined, empty: (v: T) => boolean): T | undefined =>
  v === undefined || empty(v) ? undefined : v;
const nonEmptyString = (v: string | undefined) => omitEmpty(v, (s) => s === "");
const trueOnly = (v: boolean | undefined) => (v === true ? true : undefined);
const nonZero = <T extends number | bigint>(v: T | undefined) =>
  omitEmpty(v, (n) => n === 0 || n === 0n);

function sourceJson(s: StreamSource): JsonValue {
  return {
    name: s.name ?? "",
    opt_start_seq: nonZero(s.opt_start_seq),
    opt_start_time: s.opt_start_time,
    filter_subject: nonEmptyString(s.filter_subject),
    subject_transforms: omitEmpty(s.subject_transforms, (a) => a.length === 0)?.map((t) =>
      ({ src: t.src ?? "", dest: t.dest ?? "" })),
    external: s.external && { api: s.external.api ?? "", deliver: s.external.deliver ?? "" },
    consumer: s.consumer && {
      name: nonEmptyString(s.consumer.name),
      deliver_subject: nonEmptyString(s.consumer.deliver_subject),
    },
  };
}

/**
 * The configuration as nats-server's json.Marshal writes it (field order and omitempty rules);
 * `timeJson` renders the source start times.
 */
export function streamConfigJson(c: StreamConfig, timeJson: (ns: bigint) => string):
  Record<string, JsonValue> {
  const withTimes = (s: StreamSource) => {
    const json = sourceJson(s) as Record<string, JsonValue>;
    if (s.opt_start_time !== undefined) json.opt_start_time = timeJson(s.opt_start_time);
    return json;
  };
  return {
    name: c.name,
    description: nonEmptyString(c.description),
    subjects: omitEmpty(c.subjects, (a) => a.length === 0),
    retention: c.retention,
    max_consumers: c.max_consumers,
    max_msgs: c.max_msgs,
    max_bytes: c.max_bytes,
    max_age: c.max_age,
    max_msgs_per_subject: c.max_msgs_per_subject,
    max_msg_size: nonZero(c.max_msg_size),
    discard: c.discard,
    storage: c.storage,
    num_replicas: c.num_replicas,
    no_ack: trueOnly(c.no_ack),
    duplicate_window: nonZero(c.duplicate_window),
    placement: c.placement && {
      cluster: nonEmptyString(c.placement.cluster),
      tags: omitEmpty(c.placement.tags, (a) => a.length === 0),
      preferred: nonEmptyString(c.placement.preferred),
    },
    mirror: c.mirror && withTimes(c.mirror),
    sources: omitEmpty(c.sources, (a) => a.length === 0)?.map(withTimes),
    compression: c.compression,
    first_seq: nonZero(c.first_seq),
    subject_transform: c.subject_transform && {
      src: c.subject_transform.src ?? "", dest: c.subject_transform.dest ?? "",
    },
    republish: c.republish && {
      src: nonEmptyString(c.republish.src), dest: c.republish.dest ?? "",
      headers_only: trueOnly(c.republish.headers_only),
    },
    allow_direct: c.allow_direct,
    mirror_direct: c.mirror_direct,
    discard_new_per_subject: trueOnly(c.discard_new_per_subject),
    sealed: c.sealed,
    deny_delete: c.deny_delete,
    deny_purge: c.deny_purge,
    allow_rollup_hdrs: c.allow_rollup_hdrs,
    consumer_limits: {
      inactive_threshold: nonZero(c.consumer_limits.inactive_threshold),
      max_ack_pending: nonZero(c.consumer_limits.max_ack_pending),
    },
    allow_msg_ttl: c.allow_msg_ttl,
    subject_delete_marker_ttl: nonZero(c.subject_delete_marker_ttl),
    allow_msg_counter: trueOnly(c.allow_msg_counter),
    allow_atomic: trueOnly(c.allow_atomic),
    allow_msg_schedules: trueOnly(c.allow_msg_schedules),
    persist_mode: c.persist_mode === "async" ? "async" : undefined,
    allow_batched: trueOnly(c.allow_batched),
    metadata: c.metadata === undefined || Object.keys(c.metadata).length === 0
      ? undefined : new Map(Object.entries(c.metadata)),
  };
}
