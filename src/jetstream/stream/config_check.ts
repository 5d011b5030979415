/**
 * Stream configuration defaults and validation, as nats-server's checkStreamCfg applies them: the
 * same defaults (file storage, one replica, -1 limits, a two-minute duplicate window capped by
 * max_age and the server limit), the same rules in the same order, and the same errors, so the
 * first problem a request has is the one Go would report. Pure: the other streams and limits
 * come in through CheckContext.
 * @module
 */
import { type ApiError, apiError } from "../api/api_error.ts";
import {
  JSMirrorInvalidStreamName, JSMirrorInvalidSubjectFilter, JSMirrorInvalidTransformDestination,
  JSMirrorMaxMessageSizeTooBigErr, JSMirrorMultipleFiltersNotAllowed,
  JSMirrorOverlappingSubjectFilters, JSMirrorWithAtomicPublishErr, JSMirrorWithBatchPublishErr,
  JSMirrorWithCountersErr, JSMirrorWithFirstSeqErr, JSMirrorWithMsgSchedulesErr,
  JSMirrorWithSourcesErr, JSMirrorWithSubjectsErr, JSPedanticErrF, JSReplicasCountCannotBeNegative,
  JSSourceDuplicateDetected, JSSourceInvalidStreamName, JSSourceInvalidSubjectFilter,
  JSSourceInvalidTransformDestination, JSSourceMaxMessageSizeTooBigErr,
  JSSourceMultipleFiltersNotAllowed, JSSourceOverlappingSubjectFilters,
  JSSourceWithMsgSchedulesErr, JSStreamInvalidConfigF, JSStreamMaxBytesRequired,
  JSStreamMaxStreamBytesExceeded, JSStreamTransformInvalidDestination,
  JSStreamTransformInvalidSource,
} from "../api/errors_generated.ts";
import { isValidSubject, subjectIsSubsetOf } from "../../subjects/subject.ts";
import { isValidAssetName, subjectsCollide } from "../subjects.ts";
import type { StreamConfig, StreamConfigInput, StreamSource } from "./config.ts";
import { SubjectTransform, TransformError, validateMapping } from "./subject_transform.ts";
import {
  cycleError, durableConsumerError, durableDuplicateError, externalPrefixError,
} from "./sourcing/config_rules.ts";
import { goHash, indexName } from "./sourcing/source_header.ts";

/** nats-server's limits on names and texts (JSMaxNameLen and friends). */
export const STREAM_NAME_BYTES_MAX = 255;
export const DESCRIPTION_BYTES_MAX = 4 * 1024;
export const METADATA_BYTES_MAX = 128 * 1024;
export const REPLICAS_MAX = 5;
export const DUPLICATE_WINDOW_NS_DEFAULT = 2n * 60n * 1_000_000_000n;
const MIN_WINDOW_NS = 100_000_000n;
const SECOND_NS = 1_000_000_000n;

/** What validation needs to know beyond the request. */
export interface CheckContext {
  /** The server's `jetstream.limits.duplicate_window`, 0n when not set. */
  duplicateWindowMaxNs: bigint;
  /** Another stream of the account by name. */
  streamConfig(name: string): StreamConfig | undefined;
  /** The account requires max_bytes on streams of this storage. */
  maxBytesRequired: boolean;
  /** The account's largest max_bytes per stream for this storage, -1 for none. */
  maxStreamBytes(storage: "file" | "memory"): number;
}

const invalid = (err: string): ApiError => apiError(JSStreamInvalidConfigF, { err });
const pedanticError = (err: string): ApiError => apiError(JSPedanticErrF, { err });
const bytesOf = (s: string) => Buffer.byteLength(s);

/** The configuration with defaults applied, or the first error nats-server would report. */
export function checkStreamConfig(
  input: StreamConfigInput, ctx: CheckContext, pedantic: boolean,
): StreamConfig | ApiError {
  const name = input.name ?? "";
  if (!isValidAssetName(name)) {
    return invalid("stream name is required and can not contain '.', '*', '>', '\\', '/'");
  }
  if (bytesOf(name) > STREAM_NAME_BYTES_MAX) {
    return invalid(`stream name is too long, maximum allowed is ${STREAM_NAME_BYTES_MAX}`);
  }
  if (bytesOf(input.description ?? "") > DESCRIPTION_BYTES_MAX) {
    return invalid(`stream description is too long, maximum allowed is ${DESCRIPTION_BYTES_MAX}`);
  }
  let metadataBytes = 0;
  for (const [k, v] of Object.entries(input.metadata ?? {})) {
    metadataBytes += bytesOf(k) + bytesOf(v);
  }
  if (metadataBytes > METADATA_BYTES_MAX) {
    return invalid(`stream metadata exceeds maximum size of ${METADATA_BYTES_MAX} bytes`);
  }
  const cfg = withDefaults(input, name);
  return checkLimits(cfg, ctx, pedantic) ?? checkFeatures(cfg, pedantic) ??
    checkMirrorAndSources(cfg, ctx, pedantic) ?? checkSubjects(cfg) ??
    checkAccountBytes(cfg, ctx) ?? checkTransforms(cfg, pedantic) ?? checkPlacement(cfg) ?? cfg;
}

function withDefaults(input: StreamConfigInput, name: string): StreamConfig {
  return {
    ...structuredClone(input),
    name,
    retention: input.retention ?? "limits",
    max_consumers: input.max_consumers ?? 0,
    max_msgs: input.max_msgs ?? 0,
    max_bytes: input.max_bytes ?? 0,
    max_age: input.max_age ?? 0n,
    max_msgs_per_subject: input.max_msgs_per_subject ?? 0,
    max_msg_size: input.max_msg_size ?? 0,
    discard: input.discard ?? "old",
    storage: input.storage ?? "file",
    num_replicas: input.num_replicas ?? 0,
    duplicate_window: input.duplicate_window ?? 0n,
    compression: input.compression ?? "none",
    allow_direct: input.allow_direct ?? false,
    mirror_direct: input.mirror_direct ?? false,
    sealed: input.sealed ?? false,
    deny_delete: input.deny_delete ?? false,
    deny_purge: input.deny_purge ?? false,
    allow_rollup_hdrs: input.allow_rollup_hdrs ?? false,
    consumer_limits: { ...input.consumer_limits },
    allow_msg_ttl: input.allow_msg_ttl ?? false,
    subjects: [...(input.subjects ?? [])],
  };
}

type IntLimit = "max_msgs" | "max_msgs_per_subject" | "max_bytes" | "max_msg_size" |
  "max_consumers";

function checkLimits(cfg: StreamConfig, ctx: CheckContext, pedantic: boolean): ApiError | null {
  if (cfg.num_replicas === 0) cfg.num_replicas = 1;
  if (cfg.num_replicas > REPLICAS_MAX) return invalid(`maximum replicas is ${REPLICAS_MAX}`);
  if (cfg.num_replicas < 0) return apiError(JSReplicasCountCannotBeNegative);
  const fields: IntLimit[] =
    ["max_msgs", "max_msgs_per_subject", "max_bytes", "max_msg_size", "max_consumers"];
  for (const field of fields) {
    if (cfg[field] === 0 || cfg[field] < -1) {
      if (pedantic && cfg[field] < -1) return pedanticError(`${field} must be set to -1`);
      cfg[field] = -1;
    }
  }
  if (cfg.max_age < 0n) return invalid("max age can not be negative");
  if (cfg.max_age !== 0n && cfg.max_age < MIN_WINDOW_NS) {
    return invalid("max age needs to be >= 100ms");
  }
  const limit = ctx.duplicateWindowMaxNs;
  if (cfg.duplicate_window === 0n && cfg.mirror === undefined && (cfg.sources ?? []).length === 0) {
    let window = DUPLICATE_WINDOW_NS_DEFAULT;
    if (limit > 0n && window > limit) {
      if (pedantic) return pedanticError("duplicate window limits are higher than current limits");
      window = limit;
    }
    if (cfg.max_age !== 0n && cfg.max_age < window) {
      if (pedantic) return pedanticError("duplicate window cannot be bigger than max age");
      window = cfg.max_age;
    }
    cfg.duplicate_window = window;
  }
  if (cfg.duplicate_window < 0n) return invalid("duplicates window can not be negative");
  if (cfg.max_age !== 0n && cfg.duplicate_window > cfg.max_age) {
    return invalid("duplicates window can not be larger then max age");
  }
  if (limit > 0n && cfg.duplicate_window > limit) {
    return invalid(`duplicates window can not be larger then server limit of ${goDuration(limit)}`);
  }
  if (cfg.duplicate_window > 0n && cfg.duplicate_window < MIN_WINDOW_NS) {
    return invalid("duplicates window needs to be >= 100ms");
  }
  return null;
}

function checkFeatures(cfg: StreamConfig, pedantic: boolean): ApiError | null {
  if (cfg.deny_purge && cfg.allow_rollup_hdrs) {
    return invalid("roll-ups require the purge permission");
  }
  if (cfg.allow_msg_counter) {
    if (cfg.discard === "new") return invalid("counter stream cannot use discard new");
    if (cfg.allow_msg_ttl) return invalid("counter stream cannot use message TTLs");
    if (cfg.allow_msg_schedules) return invalid("counter stream cannot use message schedules");
    if (cfg.retention !== "limits") return invalid("counter stream can only use limits retention");
  }
  if (cfg.discard_new_per_subject) {
    if (cfg.discard !== "new") {
      return invalid("discard new per subject requires discard new policy to be set");
    }
    if (cfg.max_msgs_per_subject <= 0) {
      return invalid("discard new per subject requires max msgs per subject > 0");
    }
  }
  const markerTtl = cfg.subject_delete_marker_ttl ?? 0n;
  if (markerTtl > 0n) {
    if (markerTtl < SECOND_NS) {
      return invalid("subject delete marker TTL must be at least 1 second");
    }
    if (!cfg.allow_msg_ttl) {
      if (pedantic) {
        return invalid("subject delete marker cannot be set if message TTLs are disabled");
      }
      cfg.allow_msg_ttl = true;
    }
    if (!cfg.allow_rollup_hdrs) {
      if (pedantic) return invalid("subject delete marker cannot be set if roll-ups are disabled");
      cfg.allow_rollup_hdrs = true;
      cfg.deny_purge = false;
    }
  } else if (markerTtl < 0n) {
    return invalid("subject delete marker TTL must not be negative");
  }
  if (cfg.allow_msg_schedules) {
    if (cfg.discard === "new") return invalid("message scheduling cannot use discard new");
    if (!cfg.allow_rollup_hdrs) {
      if (pedantic) return invalid("message scheduling cannot be set if roll-ups are disabled");
      cfg.allow_rollup_hdrs = true;
      cfg.deny_purge = false;
    }
  }
  if (cfg.persist_mode === "async") {
    const async = "async persist mode is";
    if (cfg.storage !== "file") return invalid(`${async} only supported on file storage`);
    if (cfg.num_replicas > 1) return invalid(`${async} not supported on replicated streams`);
    if (cfg.allow_atomic) return invalid(`${async} not supported with atomic batch publish`);
  }
  return null;
}

function transformError(def: Parameters<typeof apiError>[0], err: string): ApiError {
  return apiError(def, { err });
}

function checkMirror(cfg: StreamConfig, ctx: CheckContext, pedantic: boolean): ApiError | null {
  const m = cfg.mirror;
  if (m === undefined) return null;
  if ((cfg.first_seq ?? 0) > 0) return apiError(JSMirrorWithFirstSeqErr);
  if (cfg.subjects.length > 0) return apiError(JSMirrorWithSubjectsErr);
  if ((cfg.sources ?? []).length > 0) return apiError(JSMirrorWithSourcesErr);
  if (cfg.allow_msg_counter) return apiError(JSMirrorWithCountersErr);
  if (cfg.allow_atomic) return apiError(JSMirrorWithAtomicPublishErr);
  if (cfg.allow_batched) return apiError(JSMirrorWithBatchPublishErr);
  if (cfg.allow_msg_schedules) return apiError(JSMirrorWithMsgSchedulesErr);
  const durable = durableConsumerError(m, true);
  if (durable !== null) return durable;
  const transforms = m.subject_transforms ?? [];
  if ((m.filter_subject ?? "") !== "" && transforms.length !== 0) {
    return apiError(JSMirrorMultipleFiltersNotAllowed);
  }
  if ((cfg.subject_delete_marker_ttl ?? 0n) > 0n) {
    return invalid("subject delete markers forbidden on mirrors");
  }
  for (let i = 0; i < transforms.length; i++) {
    const t = transforms[i];
    if ((t.src ?? "") !== "" && !isValidSubject(t.src ?? "")) {
      return transformError(JSMirrorInvalidSubjectFilter, `invalid subject ${t.src}`);
    }
    const err = validateMapping(t.src ?? "", t.dest ?? "");
    if (err !== null) return transformError(JSMirrorInvalidTransformDestination, err);
    for (let j = 0; j < transforms.length; j++) {
      if (i !== j && subjectsCollide(t.src ?? "", transforms[j].src ?? "")) {
        return apiError(JSMirrorOverlappingSubjectFilters);
      }
    }
  }
  if (m.external !== undefined) return null;
  if (!isValidAssetName(m.name ?? "")) return apiError(JSMirrorInvalidStreamName);
  const origin = ctx.streamConfig(m.name ?? "");
  if (origin !== undefined) {
    if (cfg.max_msg_size > 0 && origin.max_msg_size > 0 && cfg.max_msg_size < origin.max_msg_size) {
      return apiError(JSMirrorMaxMessageSizeTooBigErr);
    }
    if (pedantic && cfg.mirror_direct !== origin.allow_direct) {
      return pedanticError("origin stream has direct get set, mirror has it disabled");
    }
    cfg.mirror_direct = origin.allow_direct;
  }
  return null;
}

function checkSource(src: StreamSource, cfg: StreamConfig, ctx: CheckContext): ApiError | null {
  const transforms = src.subject_transforms ?? [];
  if ((src.filter_subject ?? "") !== "" && transforms.length !== 0) {
    return apiError(JSSourceMultipleFiltersNotAllowed);
  }
  for (const t of transforms) {
    if ((t.src ?? "") !== "" && !isValidSubject(t.src ?? "")) {
      return transformError(JSSourceInvalidSubjectFilter, `invalid subject ${t.src}`);
    }
    const err = validateMapping(t.src ?? "", t.dest ?? "");
    if (err !== null) return transformError(JSSourceInvalidTransformDestination, err);
  }
  for (let i = 0; i < transforms.length; i++) {
    for (let j = 0; j < transforms.length; j++) {
      if (i !== j && subjectIsSubsetOf(transforms[i].src ?? "", transforms[j].src ?? "")) {
        return apiError(JSSourceOverlappingSubjectFilters);
      }
    }
  }
  const durable = durableConsumerError(src, false);
  if (durable !== null) return durable;
  if (src.external === undefined) {
    const origin = ctx.streamConfig(src.name ?? "");
    if (origin !== undefined && cfg.max_msg_size > 0 && origin.max_msg_size > 0 &&
      cfg.max_msg_size < origin.max_msg_size) {
      return apiError(JSSourceMaxMessageSizeTooBigErr);
    }
  }
  return null;
}

function checkMirrorAndSources(cfg: StreamConfig, ctx: CheckContext, pedantic: boolean):
  ApiError | null {
  const mirrorError = checkMirror(cfg, ctx, pedantic);
  if (mirrorError !== null) return mirrorError;
  const sources = cfg.sources ?? [];
  if (sources.length > 0 && cfg.allow_msg_schedules) return apiError(JSSourceWithMsgSchedulesErr);
  const seen = new Set<string>();
  for (const src of sources) {
    if (!isValidAssetName(src.name ?? "")) return apiError(JSSourceInvalidStreamName);
    const key = sourceIndexName(src);
    if (seen.has(key)) return apiError(JSSourceDuplicateDetected);
    seen.add(key);
    const err = checkSource(src, cfg, ctx);
    if (err !== null) return err;
  }
  const lookup = (name: string) => ctx.streamConfig(name);
  return durableDuplicateError(sources) ?? externalPrefixError(cfg, lookup) ??
    cycleError(cfg, lookup);
}

/** What makes two sources the same source: stream, external api, filter and transforms. */
function sourceIndexName(src: StreamSource): string {
  const iname = indexName(src);
  return src.consumer === undefined ? iname : `${iname} C=${goHash(src.consumer.name ?? "")}`;
}

function checkSubjects(cfg: StreamConfig): ApiError | null {
  if (cfg.subjects.length === 0) {
    if (cfg.mirror === undefined && (cfg.sources ?? []).length === 0) cfg.subjects.push(cfg.name);
  } else {
    if (cfg.mirror !== undefined) return apiError(JSMirrorWithSubjectsErr);
    const seen = new Set<string>();
    for (let i = 0; i < cfg.subjects.length; i++) {
      const subject = cfg.subjects[i];
      if (!isValidSubject(subject)) return invalid("invalid subject");
      if (seen.has(subject)) return invalid("duplicate subjects detected");
      const err = checkReservedSubject(subject, cfg);
      if (err !== null) return err;
      for (const other of cfg.subjects.slice(i + 1)) {
        if (subjectsCollide(other, subject)) {
          const [a, b] = [JSON.stringify(subject), JSON.stringify(other)];
          return invalid(`subject ${a} overlaps with ${b}`);
        }
      }
      seen.add(subject);
    }
  }
  if (cfg.subjects.length === 0 && (cfg.sources ?? []).length === 0 && cfg.mirror === undefined) {
    return invalid("stream needs at least one configured subject or be a source/mirror");
  }
  return null;
}

function checkReservedSubject(subject: string, cfg: StreamConfig): ApiError | null {
  if (subject === ">") {
    if (!cfg.no_ack) return invalid("capturing all subjects requires no-ack to be true");
    if (cfg.num_replicas !== 1) return invalid("capturing all subjects requires replicas of 1");
  }
  if (cfg.no_ack) return null;
  for (const namespace of ["$JS.>", "$JSC.>", "$NRG.>"]) {
    if (subjectsCollide(subject, namespace) && !subjectIsSubsetOf(subject, "$JS.EVENT.>")) {
      return invalid("subjects that overlap with jetstream api require no-ack to be true");
    }
  }
  if (subjectsCollide(subject, "$SYS.>") && !subjectIsSubsetOf(subject, "$SYS.ACCOUNT.>")) {
    return invalid("subjects that overlap with system api require no-ack to be true");
  }
  return null;
}

function checkAccountBytes(cfg: StreamConfig, ctx: CheckContext): ApiError | null {
  if (ctx.maxBytesRequired && cfg.max_bytes <= 0) return apiError(JSStreamMaxBytesRequired);
  const limit = ctx.maxStreamBytes(cfg.storage);
  if (limit > 0 && cfg.max_bytes > limit) return apiError(JSStreamMaxStreamBytesExceeded);
  return null;
}

function checkTransforms(cfg: StreamConfig, pedantic: boolean): ApiError | null {
  const st = cfg.subject_transform;
  if (st !== undefined) {
    if ((st.src ?? "") !== "" && !isValidSubject(st.src ?? "")) {
      return transformError(JSStreamTransformInvalidSource, `invalid subject ${st.src}`);
    }
    const err = validateMapping(st.src ?? "", st.dest ?? "");
    if (err !== null) return transformError(JSStreamTransformInvalidDestination, err);
  }
  const rp = cfg.republish;
  if (rp === undefined) return null;
  if ((rp.src ?? "") === "") {
    if (pedantic) return pedanticError("republish source can not be empty");
    rp.src = ">";
  }
  if (rp.dest === ">" && rp.src === ">" && st !== undefined && cfg.subjects.length === 1 &&
    st.src === cfg.subjects[0]) {
    if (pedantic) return pedanticError("implicit republish based on subject transform");
    rp.src = st.dest;
    rp.dest = st.dest;
  }
  if (cfg.subjects.some((s) => subjectsCollide(rp.dest ?? "", s))) {
    return invalid("stream configuration for republish destination forms a cycle");
  }
  try {
    if ((rp.dest ?? "") === "") throw new TransformError("empty destination");
    SubjectTransform.compile(rp.src ?? "", rp.dest ?? "");
  } catch {
    return invalid(`stream configuration for republish with transform from '${rp.src}' to ` +
      `'${rp.dest}' not valid`);
  }
  return null;
}

function checkPlacement(cfg: StreamConfig): ApiError | null {
  const p = cfg.placement;
  if (p !== undefined && (p.cluster ?? "") === "" && (p.tags ?? []).length === 0 &&
    (p.preferred ?? "") === "") {
    delete cfg.placement;
  }
  if ((cfg.placement?.preferred ?? "") !== "") {
    return invalid("preferred server not permitted in placement");
  }
  return null;
}

/** Go's time.Duration String() for whole and fractional durations. */
export function goDuration(ns: bigint): string {
  if (ns === 0n) return "0s";
  const neg = ns < 0n;
  let rest = neg ? -ns : ns;
  if (rest < 1_000n) return `${neg ? "-" : ""}${rest}ns`;
  if (rest < 1_000_000n) return `${neg ? "-" : ""}${fraction(rest, 1_000n)}µs`;
  if (rest < SECOND_NS) return `${neg ? "-" : ""}${fraction(rest, 1_000_000n)}ms`;
  let out = "";
  const hours = rest / (3600n * SECOND_NS);
  rest -= hours * 3600n * SECOND_NS;
  const minutes = rest / (60n * SECOND_NS);
  rest -= minutes * 60n * SECOND_NS;
  if (hours > 0n) out += `${hours}h`;
  if (hours > 0n || minutes > 0n) out += `${minutes}m`;
  out += `${fraction(rest, SECOND_NS)}s`;
  return (neg ? "-" : "") + out;
}

function fraction(value: bigint, unit: bigint): string {
  const whole = value / unit;
  const frac = value % unit;
  if (frac === 0n) return whole.toString();
  const digits = unit.toString().length - 1;
  return `${whole}.${frac.toString().padStart(digits, "0").replace(/0+$/, "")}`;
}
