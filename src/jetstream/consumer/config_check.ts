/**
 * Consumer configuration defaults and checks, in nats-server's order and with its errors
 * (consumer.go setConsumerConfigDefaults, checkConsumerCfg, checkNewConsumerConfig;
 * jetstream_versioning.go setStaticConsumerMetadata).
 * @module
 */
import { type ApiError, apiError } from "../api/api_error.ts";
import * as E from "../api/errors_generated.ts";
import type { StreamConfig } from "../stream/config.ts";
import { isValidAssetName } from "../subjects.ts";
import { isLiteralSubject, isValidSubject, subjectIsSubsetOf } from "../../subjects/subject.ts";
import { type ConsumerConfig, type ConsumerConfigInput, configFilters } from "./config.ts";
import { formatGoDuration } from "./core/mod.ts";

const NS_PER_MS = 1_000_000n;
const NS_PER_SECOND = 1_000_000_000n;
/** JsAckWaitDefault. */
export const ACK_WAIT_NS_DEFAULT = 30n * NS_PER_SECOND;
/** JsDefaultMaxAckPending. */
export const MAX_ACK_PENDING_DEFAULT = 1000;
/** JSWaitQueueDefaultMax. */
export const MAX_WAITING_DEFAULT = 512;
/** JsDefaultPinnedTTL. */
export const PINNED_TTL_NS_DEFAULT = 2n * 60n * NS_PER_SECOND;
/** JsDeleteWaitTimeDefault, stamped into an ephemeral's config. */
export const EPHEMERAL_INACTIVE_NS = 5n * NS_PER_SECOND;
export const DESCRIPTION_BYTES_MAX = 4 * 1024;
export const METADATA_BYTES_MAX = 128 * 1024;
export const NAME_BYTES_MAX = 255;
/** The only idle heartbeat ack_policy flow_control allows, and its default (sourceHealthHB). */
export const ACK_FC_HEARTBEAT_NS = NS_PER_SECOND;
const GROUP_NAME = /^[a-zA-Z0-9/_=-]{1,16}$/;

/** Server and account limits a consumer configuration must respect (0: none). */
export interface ConsumerLimits {
  /** jetstream { limits { max_ack_pending } } */
  serverMaxAckPending: number;
  /** jetstream { limits { max_request_batch } } */
  serverMaxRequestBatch: number;
  /** The account's max_ack_pending. */
  accountMaxAckPending: number;
}

export const NO_LIMITS: Readonly<ConsumerLimits> = Object.freeze({
  serverMaxAckPending: 0, serverMaxRequestBatch: 0, accountMaxAckPending: 0,
});

const pedanticErr = (text: string) => apiError(E.JSPedanticErrF, { err: text });
const invalid = (text: string) => apiError(E.JSStreamInvalidConfigF, { err: text });

/** Zero and negative fixes nats-server applies before anything else; pedantic refuses them. */
function fixNegatives(c: ConsumerConfigInput, pedantic: boolean): ApiError | null {
  const md = c.max_deliver ?? 0;
  if (md === 0 || md < -1) {
    if (pedantic && md < -1) return pedanticErr("max_deliver must be set to -1");
    c.max_deliver = -1;
  }
  const fixes: Array<[keyof ConsumerConfigInput, string, boolean]> = [
    ["max_waiting", "max_waiting must not be negative", (c.max_waiting ?? 0) < 0],
    ["max_ack_pending", "max_ack_pending must be set to -1", (c.max_ack_pending ?? 0) < -1],
    ["max_batch", "max_batch must not be negative", (c.max_batch ?? 0) < 0],
    ["max_expires", "max_expires must not be negative", (c.max_expires ?? 0n) < 0n],
    ["max_bytes", "max_bytes must not be negative", (c.max_bytes ?? 0) < 0],
    ["idle_heartbeat", "idle_heartbeat must not be negative", (c.idle_heartbeat ?? 0n) < 0n],
    ["inactive_threshold", "inactive_threshold must not be negative",
      (c.inactive_threshold ?? 0n) < 0n],
    ["priority_timeout", "priority_timeout must not be negative",
      (c.priority_timeout ?? 0n) < 0n],
  ];
  for (const [field, text, bad] of fixes) {
    if (!bad) continue;
    if (pedantic) return pedanticErr(text);
    const value = field === "max_ack_pending" ? -1 : 0;
    (c as Record<string, unknown>)[field] = typeof c[field] === "bigint" ? 0n : value;
  }
  return null;
}

/**
 * Applies nats-server's defaults (setConsumerConfigDefaults) to `input` in place and returns it
 * as a full configuration, or the pedantic error.
 */
export function setConsumerDefaults(
  input: ConsumerConfigInput,
  stream: StreamConfig,
  limits: ConsumerLimits,
  pedantic: boolean,
): ConsumerConfig | ApiError {
  const c = input;
  const fixed = fixNegatives(c, pedantic);
  if (fixed !== null) return fixed;
  const push = (c.deliver_subject ?? "") !== "";
  if (!push && (c.max_waiting ?? 0) === 0) c.max_waiting = MAX_WAITING_DEFAULT;
  const ack = c.ack_policy ?? "none";
  if ((c.ack_wait ?? 0n) === 0n && (ack === "explicit" || ack === "all")) {
    c.ack_wait = ACK_WAIT_NS_DEFAULT;
  }
  const backoff = c.backoff ?? [];
  if (backoff.length > 0) {
    if (pedantic && c.ack_wait !== backoff[0]) {
      return pedanticErr("first backoff value has to equal batch AckWait");
    }
    c.ack_wait = backoff[0];
  }
  const streamLimits = stream.consumer_limits ?? {};
  if ((c.max_ack_pending ?? 0) === 0) {
    if (pedantic && (streamLimits.max_ack_pending ?? 0) > 0) {
      return pedanticErr("max_ack_pending must be set if it's configured in stream limits");
    }
    c.max_ack_pending = streamLimits.max_ack_pending ?? 0;
  }
  if ((c.inactive_threshold ?? 0n) === 0n) {
    if (pedantic && (streamLimits.inactive_threshold ?? 0n) > 0n) {
      return pedanticErr("inactive_threshold must be set if it's configured in stream limits");
    }
    c.inactive_threshold = streamLimits.inactive_threshold ?? 0n;
  }
  if ((c.max_ack_pending ?? 0) === 0 && ack !== "none") {
    let pending = MAX_ACK_PENDING_DEFAULT;
    const server = limits.serverMaxAckPending;
    const account = limits.accountMaxAckPending;
    if (server > 0 && server < pending) pending = server;
    if (account > 0 && account < pending) pending = account;
    c.max_ack_pending = pending;
  }
  if (!push && (c.max_batch ?? 0) === 0 && limits.serverMaxRequestBatch > 0) {
    if (pedantic) {
      return pedanticErr("max_request_batch must be set if it's JetStream limits are set");
    }
    c.max_batch = limits.serverMaxRequestBatch;
  }
  if (c.priority_policy === "pinned_client" && (c.priority_timeout ?? 0n) === 0n) {
    c.priority_timeout = PINNED_TTL_NS_DEFAULT;
  }
  if (ack === "flow_control" && !pedantic) {
    c.flow_control = true;
    c.idle_heartbeat = ACK_FC_HEARTBEAT_NS;
  }
  c.deliver_policy ??= "all";
  c.ack_policy ??= "none";
  c.replay_policy ??= "instant";
  c.max_ack_pending ??= 0;
  c.num_replicas ??= 0;
  return c as ConsumerConfig;
}

function checkNames(c: ConsumerConfig, stream: StreamConfig): ApiError | null {
  if ((c.name ?? "") !== "" && !isValidAssetName(c.name!)) {
    return invalid("consumer name can not contain '.', '*', '>', '\\', '/'");
  }
  if ((c.durable_name ?? "") !== "" && !isValidAssetName(c.durable_name!)) {
    return invalid("consumer durable name can not contain '.', '*', '>', '\\', '/'");
  }
  const replicas = c.num_replicas;
  if (replicas > 0 && replicas > stream.num_replicas) {
    return apiError(E.JSConsumerReplicasExceedsStream);
  }
  if (replicas < 0) return apiError(E.JSReplicasCountCannotBeNegative);
  if (stream.retention !== "limits" && replicas !== 0 && replicas !== stream.num_replicas) {
    return apiError(E.JSConsumerReplicasShouldMatchStream);
  }
  return null;
}

/** ack_policy flow_control's requirements, in nats-server's order (2.14). */
function ackFlowControlError(c: ConsumerConfig): ApiError | null {
  if (c.ack_policy !== "flow_control") return null;
  if ((c.deliver_subject ?? "") === "") return apiError(E.JSConsumerAckFCRequiresPushErr);
  if (c.flow_control !== true) return apiError(E.JSConsumerAckFCRequiresFCErr);
  // Sourcing watches for a stalled origin with 1 s heartbeats; no other value is allowed.
  if ((c.idle_heartbeat ?? 0n) !== ACK_FC_HEARTBEAT_NS) {
    return invalid("flow control ack policy heartbeat needs to be 1s");
  }
  if (c.max_ack_pending <= 0) return apiError(E.JSConsumerAckFCRequiresMaxAckPendingErr);
  if ((c.ack_wait ?? 0n) !== 0n || (c.backoff ?? []).length > 0) {
    return apiError(E.JSConsumerAckFCRequiresNoAckWaitErr);
  }
  if (c.max_deliver > 0) return apiError(E.JSConsumerAckFCRequiresNoMaxDeliverErr);
  return null;
}

function checkAcks(c: ConsumerConfig): ApiError | null {
  for (const b of c.backoff ?? []) if (b < 0n) return apiError(E.JSConsumerBackOffNegativeErr);
  if ((c.ack_wait ?? 0n) < 0n) return apiError(E.JSConsumerAckWaitNegativeErr);
  const fcError = ackFlowControlError(c);
  if (fcError !== null) return fcError;
  const backoffs = (c.backoff ?? []).length;
  if (backoffs > 0 && c.max_deliver !== -1 && backoffs > c.max_deliver) {
    return apiError(E.JSConsumerMaxDeliverBackoffErr);
  }
  if (new TextEncoder().encode(c.description ?? "").length > DESCRIPTION_BYTES_MAX) {
    return apiError(E.JSConsumerDescriptionTooLongErrF, { max: DESCRIPTION_BYTES_MAX });
  }
  return null;
}

/** Whether `deliver` would receive the stream's own messages (deliveryFormsCycle). */
function formsCycle(stream: StreamConfig, deliver: string): boolean {
  return stream.subjects.some((s) => subjectIsSubsetOf(deliver, s));
}

function checkPush(c: ConsumerConfig, stream: StreamConfig): ApiError | null {
  const deliver = c.deliver_subject!;
  if (!isLiteralSubject(deliver)) return apiError(E.JSConsumerDeliverToWildcardsErr);
  if (!isValidSubject(deliver)) return apiError(E.JSConsumerInvalidDeliverSubject);
  if (formsCycle(stream, deliver)) return apiError(E.JSConsumerDeliverCycleErr);
  if ((c.max_waiting ?? 0) !== 0) return apiError(E.JSConsumerPushMaxWaitingErr);
  if (c.max_ack_pending > 0 && c.ack_policy === "none") {
    return apiError(E.JSConsumerMaxPendingAckPolicyRequiredErr);
  }
  const hb = c.idle_heartbeat ?? 0n;
  if (hb > 0n && hb < 100n * NS_PER_MS) return apiError(E.JSConsumerSmallHeartbeatErr);
  return null;
}

function checkPull(c: ConsumerConfig, stream: StreamConfig, limits: ConsumerLimits):
  ApiError | null {
  if (c.ack_policy === "none" && stream.retention === "workqueue") {
    return apiError(E.JSConsumerPullRequiresAckErr);
  }
  if ((c.rate_limit_bps ?? 0) > 0) return apiError(E.JSConsumerPullWithRateLimitErr);
  if ((c.max_waiting ?? 0) < 0) return apiError(E.JSConsumerMaxWaitingNegativeErr);
  if ((c.idle_heartbeat ?? 0n) > 0n) return apiError(E.JSConsumerHBRequiresPushErr);
  if (c.flow_control) return apiError(E.JSConsumerFCRequiresPushErr);
  if ((c.max_batch ?? 0) < 0) return apiError(E.JSConsumerMaxRequestBatchNegativeErr);
  const expires = c.max_expires ?? 0n;
  if (expires !== 0n && expires < NS_PER_MS) return apiError(E.JSConsumerMaxRequestExpiresTooSmall);
  const maxBatch = limits.serverMaxRequestBatch;
  if (maxBatch > 0 && (c.max_batch ?? 0) > maxBatch) {
    return apiError(E.JSConsumerMaxRequestBatchExceededF, { limit: maxBatch });
  }
  return null;
}

function checkLimits(c: ConsumerConfig, stream: StreamConfig, limits: ConsumerLimits):
  ApiError | null {
  for (const max of [limits.serverMaxAckPending, limits.accountMaxAckPending]) {
    if (max > 0 && c.max_ack_pending > max) {
      return apiError(E.JSConsumerMaxPendingAckExcessErrF, { limit: max });
    }
  }
  const cl = stream.consumer_limits ?? {};
  if ((cl.max_ack_pending ?? 0) > 0 && c.max_ack_pending > cl.max_ack_pending!) {
    return apiError(E.JSConsumerMaxPendingAckExcessErrF, { limit: cl.max_ack_pending! });
  }
  const threshold = cl.inactive_threshold ?? 0n;
  if (threshold > 0n && (c.inactive_threshold ?? 0n) > threshold) {
    return apiError(E.JSConsumerInactiveThresholdExcess, { limit: formatGoDuration(threshold) });
  }
  if (c.direct) {
    if ((c.deliver_subject ?? "") === "") return apiError(E.JSConsumerDirectRequiresPushErr);
    if ((c.durable_name ?? "") !== "") return apiError(E.JSConsumerDirectRequiresEphemeralErr);
  }
  return null;
}

function checkFilters(c: ConsumerConfig): ApiError | null {
  if ((c.filter_subject ?? "") !== "" && (c.filter_subjects ?? []).length > 0) {
    return apiError(E.JSConsumerDuplicateFilterSubjects);
  }
  if ((c.filter_subject ?? "") !== "" && !isValidSubject(c.filter_subject!)) {
    return invalid("invalid subject");
  }
  for (const f of c.filter_subjects ?? []) if (f === "") return apiError(E.JSConsumerEmptyFilter);
  const filters = configFilters(c);
  for (let i = 0; i < filters.length; i++) {
    if (!isValidSubject(filters[i])) return invalid("invalid subject");
    for (let j = 0; j < filters.length; j++) {
      if (i !== j && subjectIsSubsetOf(filters[i], filters[j])) {
        return apiError(E.JSConsumerOverlappingSubjectFilters);
      }
    }
  }
  return null;
}

function policyError(c: ConsumerConfig): ApiError | null {
  const bad = (dp: string, what: string) => apiError(E.JSConsumerInvalidPolicyErrF,
    { err: `consumer delivery policy is deliver ${dp}, but optional start ${what} is also set` });
  const missing = (dp: string, what: string) => apiError(E.JSConsumerInvalidPolicyErrF,
    { err: `consumer delivery policy is deliver ${dp}, but optional ${what} is not set` });
  const seq = (c.opt_start_seq ?? 0) > 0;
  const time = c.opt_start_time !== undefined;
  const names: Record<string, string> = {
    all: "all", last: "last", last_per_subject: "last per subject", new: "new",
  };
  const dp = c.deliver_policy;
  if (dp in names) {
    if (seq) return bad(names[dp], "sequence");
    if (time) return bad(names[dp], "time");
    if (dp === "last_per_subject" && configFilters(c).length === 0) {
      return missing("last per subject", "filter subject");
    }
  } else if (dp === "by_start_sequence") {
    if (!seq) return missing("by start sequence", "start sequence");
    if (time) return bad("by start sequence", "time");
  } else if (dp === "by_start_time") {
    if (!time) return missing("by start time", "start time");
    if (seq) return bad("by start time", "start sequence");
  }
  return null;
}

function checkMisc(c: ConsumerConfig): ApiError | null {
  const freq = c.sample_freq ?? "";
  if (freq !== "") {
    const text = freq.endsWith("%") ? freq.slice(0, -1) : freq;
    if (!/^[+-]?[0-9]+$/.test(text) || Number(text) < 0) {
      // A negative number is refused with a nil error, which Go prints as <nil>.
      const err = /^[+-]?[0-9]+$/.test(text) ? "<nil>" :
        `strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`;
      return apiError(E.JSConsumerInvalidSamplingErrF, { err });
    }
  }
  if (c.flow_control && (c.idle_heartbeat ?? 0n) === 0n) {
    return apiError(E.JSConsumerWithFlowControlNeedsHeartbeats);
  }
  if ((c.durable_name ?? "") !== "" && (c.name ?? "") !== "" && c.name !== c.durable_name) {
    return apiError(E.JSConsumerCreateDurableAndNameMismatch);
  }
  let metadataBytes = 0;
  for (const [k, v] of Object.entries(c.metadata ?? {})) metadataBytes += k.length + v.length;
  if (metadataBytes > METADATA_BYTES_MAX) {
    return apiError(E.JSConsumerMetadataLengthErrF, { limit: `${METADATA_BYTES_MAX / 1024}KB` });
  }
  return checkPriority(c);
}

function checkPriority(c: ConsumerConfig): ApiError | null {
  const groups = c.priority_groups ?? [];
  if ((c.priority_policy ?? "none") !== "none") {
    if ((c.deliver_subject ?? "") !== "") return apiError(E.JSConsumerPushWithPriorityGroupErr);
    if (groups.length === 0) return apiError(E.JSConsumerPriorityPolicyWithoutGroup);
    for (const g of groups) {
      if (g === "") return apiError(E.JSConsumerEmptyGroupName);
      if (!GROUP_NAME.test(g)) return apiError(E.JSConsumerInvalidGroupNameErr);
    }
    return null;
  }
  if (groups.length > 0) return apiError(E.JSConsumerPriorityGroupWithPolicyNone);
  if ((c.priority_timeout ?? 0n) > 0n) {
    return apiError(E.JSConsumerPinnedTTLWithoutPriorityPolicyNone);
  }
  return null;
}

/** checkConsumerCfg: every rule, in nats-server's order. */
export function checkConsumerConfig(
  c: ConsumerConfig,
  stream: StreamConfig,
  limits: ConsumerLimits,
): ApiError | null {
  return checkNames(c, stream) ?? checkAcks(c) ??
    ((c.deliver_subject ?? "") !== "" ? checkPush(c, stream) : checkPull(c, stream, limits)) ??
    checkLimits(c, stream, limits) ?? checkFilters(c) ?? policyError(c) ?? checkMisc(c);
}
