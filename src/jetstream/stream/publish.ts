/**
 * The publish path of a stream, in nats-server's order: input subject transform, sealed check,
 * the `Nats-Expected-*` headers, TTL permission, `Nats-Msg-Id` dedupe, rollup permission,
 * `max_msg_size`, resource limits, interest, TTL value, then the store (which enforces the
 * stream limits), then the rollup purge. Every check happens before anything is stored, so a
 * refused message leaves no trace. Synchronous: the caller sends the acknowledgement once the
 * store has made the write durable.
 * @module
 */
import { type ApiError, apiError, apiErrorUnless } from "../api/api_error.ts";
import {
  JSMessageIncrDisabledErr, JSMessageIncrInvalidErr, JSMessageSchedulesDisabledErr,
  JSMessageSchedulesSchedulerInvalidErr, JSMessageSourceHdrNotAllowedErr, JSMessageTTLDisabledErr,
  JSMessageTTLInvalidErr, JSStreamExpectedLastSeqPerSubjectInvalid,
  JSStreamHeaderExceedsMaximumErr, JSStreamMessageExceedsMaximumErr, JSStreamNotMatchErr,
  JSStreamRollupFailedF, JSStreamSealedErr, JSStreamStoreFailedF, JSStreamWrongLastMsgIDErrF,
  JSStreamWrongLastSequenceErrF,
} from "../api/errors_generated.ts";
import { type Clock, StoreError, type StreamStore } from "../store/mod.ts";
import type { StreamConfig } from "./config.ts";
import type { StreamConsumers } from "./consumer_hooks.ts";
import type { DuplicateWindow } from "./dedupe.ts";
import type { MarkerExpiry } from "./delete_markers.ts";
import { appendHeaders, HDR, HeaderView, parseDecimal, removeHeader } from "./headers.ts";
import { parseMessageTtl } from "./message_ttl.ts";
import type { SubjectTransform } from "./subject_transform.ts";

/** nats-server refuses header blocks larger than this (math.MaxUint16). */
export const HEADER_BYTES_MAX = 65_535;

/** The stream state the publish path reads and advances. */
export interface IngestState {
  readonly config: StreamConfig;
  readonly store: StreamStore;
  readonly dedupe: DuplicateWindow;
  readonly consumers: StreamConsumers;
  readonly clock: Clock;
  readonly inputTransform: SubjectTransform | null;
  /** Set when the stream places subject delete markers: it then runs expiry itself. */
  readonly expiry: MarkerExpiry | null;
  /** The last sequence handed out (Go's lseq; includes skipped ones). */
  lastSeq: number;
  /** The Nats-Msg-Id of the last stored message ("" when it had none). */
  lastMsgId: string;
}

export type IngestResult =
  | { kind: "stored"; seq: number; ts: bigint; subject: string }
  /** Interest retention with no interest: the sequence was used up, nothing stored. */
  | { kind: "skipped"; seq: number }
  | { kind: "duplicate"; seq: number }
  | { kind: "error"; error: ApiError };

/** Checks of the account and server limits, done right before storing. */
export type ResourceCheck = (bytes: number) => ApiError | null;

const fail = (error: ApiError): IngestResult => ({ kind: "error", error });

/** Runs one published message through the stream. */
export function ingest(
  state: IngestState, subjectIn: string, hdrIn: Uint8Array | null, payload: Uint8Array,
  resources: ResourceCheck,
): IngestResult {
  let hdr = hdrIn;
  const cfg = state.config;
  const subject = state.inputTransform?.match(subjectIn) ?? subjectIn;
  if (cfg.sealed) return fail(apiError(JSStreamSealedErr));
  const headers = hdr !== null && hdr.length > 0 ? new HeaderView(hdr) : null;
  let rollup: "sub" | "all" | null = null;
  let msgId = "";
  if (headers !== null) {
    const checked = checkHeaders(state, subject, headers);
    if (checked.kind !== "ok") return checked.result;
    rollup = checked.rollup;
    msgId = checked.msgId;
  }
  const hdrBytes = hdr?.length ?? 0;
  if (cfg.max_msg_size >= 0 && (hdrBytes > cfg.max_msg_size ||
    payload.length > cfg.max_msg_size - hdrBytes)) {
    return fail(apiError(JSStreamMessageExceedsMaximumErr));
  }
  if (hdrBytes > HEADER_BYTES_MAX) return fail(apiError(JSStreamHeaderExceedsMaximumErr));
  const limitError = resources(state.store.msgSize(subject, hdrBytes, payload.length));
  if (limitError !== null) return fail(limitError);
  if (cfg.retention === "interest" && !state.consumers.hasInterest(subject)) {
    const seq = state.store.skipMsg();
    state.lastSeq = seq;
    state.lastMsgId = msgId;
    if (msgId !== "") state.dedupe.add(msgId, seq, state.clock.nowNs());
    if (rollup !== null) rollupPurge(state, subject, rollup, 0);
    return { kind: "skipped", seq };
  }
  const withTtl = messageTtl(cfg, headers, hdr);
  if (withTtl === null) return fail(apiError(JSMessageTTLInvalidErr));
  const ttl = withTtl.ttl;
  hdr = withTtl.hdr;
  let stored;
  try {
    // With markers the stream expires messages itself (delete_markers.ts), not the store.
    const opts = { ttl: state.expiry === null ? ttl : 0, rollup: rollup !== null };
    stored = state.store.storeMsg(subject, hdr, payload, opts);
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    return fail(apiErrorUnless(JSStreamStoreFailedF, new Error(storeErrorText(error))));
  }
  state.lastSeq = stored.seq;
  state.lastMsgId = msgId;
  if (msgId !== "") state.dedupe.add(msgId, stored.seq, stored.ts);
  state.expiry?.track(stored.seq, stored.ts, ttl);
  state.consumers.messageStored(stored.seq, subject);
  if (rollup !== null) rollupPurge(state, subject, rollup, 1);
  return { kind: "stored", seq: stored.seq, ts: stored.ts, subject };
}

/**
 * The message's TTL (seconds, TTL_NEVER or 0) and headers, or null when Nats-TTL is invalid.
 * With subject delete markers a TTL shorter than the marker TTL is raised to it (unless the
 * stream keeps one message per subject), and the header says so, as nats-server does.
 */
function messageTtl(cfg: StreamConfig, headers: HeaderView | null, hdr: Uint8Array | null):
  { ttl: number; hdr: Uint8Array | null } | null {
  const text = headers?.get(HDR.ttl) ?? null;
  if (text === null || hdr === null) return { ttl: 0, hdr };
  const parsed = parseMessageTtl(text);
  if (!parsed.ok) return null;
  const markerNs = cfg.subject_delete_marker_ttl ?? 0n;
  const minimum = Number(markerNs / 1_000_000_000n);
  if (parsed.seconds <= 0 || markerNs <= 0n || cfg.max_msgs_per_subject === 1 ||
    parsed.seconds >= minimum) {
    return { ttl: parsed.seconds, hdr };
  }
  const raised = appendHeaders(removeHeader(hdr, HDR.ttl), [[HDR.ttl, String(minimum)]]);
  return { ttl: minimum, hdr: raised };
}

/** The store's error as nats-server words it (without natsd's detail suffix). */
function storeErrorText(error: StoreError): string {
  const colon = error.message.indexOf(": ");
  return colon < 0 ? error.message : error.message.slice(0, colon);
}

function rollupPurge(state: IngestState, subject: string, rollup: "sub" | "all", keep: number):
  void {
  const opts = rollup === "sub" ? { subject, keep } : { keep };
  if (keep === 0) state.store.purgeEx(rollup === "sub" ? { subject } : {});
  else state.store.purgeEx(opts);
  state.consumers.purged({ ...opts, firstSeq: state.store.fastState().firstSeq });
}

type HeaderCheck =
  | { kind: "ok"; rollup: "sub" | "all" | null; msgId: string }
  | { kind: "done"; result: IngestResult };

const failed = (error: ApiError): HeaderCheck => ({ kind: "done", result: fail(error) });

/** The header checks, in nats-server's order. */
function checkHeaders(state: IngestState, subject: string, h: HeaderView): HeaderCheck {
  const cfg = state.config;
  const incr = h.get(HDR.incr);
  if (incr !== null) {
    if (!/^[+-]?\d+$/.test(incr)) return failed(apiError(JSMessageIncrInvalidErr));
    if (!cfg.allow_msg_counter) return failed(apiError(JSMessageIncrDisabledErr));
  }
  const expectedStream = h.get(HDR.expectedStream);
  if (expectedStream !== null && expectedStream !== cfg.name) {
    return failed(apiError(JSStreamNotMatchErr));
  }
  const ttlText = h.get(HDR.ttl);
  if (ttlText !== null && !cfg.allow_msg_ttl) {
    const parsed = parseMessageTtl(ttlText);
    if (parsed.ok && parsed.seconds !== 0) return failed(apiError(JSMessageTTLDisabledErr));
  }
  const sequenceError = checkExpectedSequences(state, subject, h);
  if (sequenceError !== null) return failed(sequenceError);
  if (!cfg.allow_msg_schedules && h.has(HDR.schedule)) {
    return failed(apiError(JSMessageSchedulesDisabledErr));
  }
  if (h.has(HDR.scheduleNext) || h.has(HDR.scheduler)) {
    return failed(cfg.allow_msg_schedules ? apiError(JSMessageSchedulesSchedulerInvalidErr)
      : apiError(JSMessageSchedulesDisabledErr));
  }
  if (h.has(HDR.streamSource)) return failed(apiError(JSMessageSourceHdrNotAllowedErr));
  const msgId = h.get(HDR.msgId) ?? "";
  if (msgId !== "" && cfg.mirror === undefined) {
    const seq = state.dedupe.check(msgId, state.clock.nowNs());
    if (seq !== null) return { kind: "done", result: { kind: "duplicate", seq } };
  }
  const expectedLastMsgId = h.get(HDR.expectedLastMsgId);
  if (expectedLastMsgId !== null && expectedLastMsgId !== state.lastMsgId) {
    return failed(apiError(JSStreamWrongLastMsgIDErrF, { id: state.lastMsgId }));
  }
  const rollupText = h.get(HDR.rollup);
  let rollup: "sub" | "all" | null = null;
  if (rollupText !== null) {
    if (!cfg.allow_rollup_hdrs || cfg.deny_purge) {
      return failed(apiError(JSStreamRollupFailedF, { err: "rollup not permitted" }));
    }
    const value = rollupText.toLowerCase();
    if (value !== "sub" && value !== "all") {
      return failed(apiError(JSStreamRollupFailedF,
        { err: `rollup value invalid: ${JSON.stringify(value)}` }));
    }
    rollup = value;
  }
  return { kind: "ok", rollup, msgId };
}

function checkExpectedSequences(state: IngestState, subject: string, h: HeaderView):
  ApiError | null {
  const perSubject = h.get(HDR.expectedLastSubjSeq);
  const perSubjectSubject = h.get(HDR.expectedLastSubjSeqSubj);
  if (perSubject !== null) {
    const expected = parseDecimal(perSubject);
    const last = state.store.loadLastMsg(perSubjectSubject ?? subject)?.seq ?? 0;
    if (last !== expected) return apiError(JSStreamWrongLastSequenceErrF, { seq: last });
  } else if (perSubjectSubject !== null) {
    return apiError(JSStreamExpectedLastSeqPerSubjectInvalid);
  }
  const lastSeq = h.get(HDR.expectedLastSeq);
  if (lastSeq !== null && parseDecimal(lastSeq) !== state.lastSeq) {
    return apiError(JSStreamWrongLastSequenceErrF, { seq: state.lastSeq });
  }
  return null;
}
