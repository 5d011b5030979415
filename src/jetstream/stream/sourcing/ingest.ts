/**
 * Storing what a mirror or source received. nats-server runs these through processJetStreamMsg
 * with `sourced` set: the origin already validated the message, so the permission checks of the
 * publish path (TTL, schedules, `Nats-Stream-Source`, rollup permission) are skipped, while the
 * stream's own limits, dedupe (sources only) and retention apply. A mirror stores each message
 * at the origin's sequence and time; origin sequences it never receives become deleted ones.
 * @module
 */
import { type ApiError, apiError, apiErrorUnless } from "../../api/api_error.ts";
import {
  JSStreamHeaderExceedsMaximumErr, JSStreamMessageExceedsMaximumErr, JSStreamSealedErr,
  JSStreamStoreFailedF,
} from "../../api/errors_generated.ts";
import { StoreError } from "../../store/mod.ts";
import { HDR, HeaderView } from "../headers.ts";
import { parseMessageTtl } from "../message_ttl.ts";
import { HEADER_BYTES_MAX, type IngestResult, type IngestState, type ResourceCheck }
  from "../publish.ts";

/** One message from an origin. */
export interface SourcedMsg {
  subject: string;
  hdr: Uint8Array | null;
  payload: Uint8Array;
}

const fail = (error: ApiError): IngestResult => ({ kind: "error", error });

function storeFailure(error: unknown): IngestResult {
  if (!(error instanceof StoreError)) throw error;
  return fail(apiErrorUnless(JSStreamStoreFailedF, error));
}

function ttlOf(state: IngestState, headers: HeaderView | null): number {
  const text = headers?.get(HDR.ttl) ?? null;
  if (text === null || !state.config.allow_msg_ttl) return 0;
  const parsed = parseMessageTtl(text);
  return parsed.ok ? parsed.seconds : 0;
}

function rollupOf(headers: HeaderView | null): "sub" | "all" | null {
  const value = headers?.get(HDR.rollup)?.toLowerCase() ?? null;
  return value === "sub" || value === "all" ? value : null;
}

function sizeError(state: IngestState, msg: SourcedMsg, resources: ResourceCheck):
  ApiError | null {
  const cfg = state.config;
  const hdrBytes = msg.hdr?.length ?? 0;
  if (cfg.max_msg_size >= 0 && (hdrBytes > cfg.max_msg_size ||
    msg.payload.length > cfg.max_msg_size - hdrBytes)) {
    return apiError(JSStreamMessageExceedsMaximumErr);
  }
  if (hdrBytes > HEADER_BYTES_MAX) return apiError(JSStreamHeaderExceedsMaximumErr);
  return resources(state.store.msgSize(msg.subject, hdrBytes, msg.payload.length));
}

function rollupPurge(state: IngestState, subject: string, rollup: "sub" | "all"): void {
  const opts = rollup === "sub" ? { subject, keep: 1 } : { keep: 1 };
  state.store.purgeEx(opts);
  state.consumers.purged({ ...opts, firstSeq: state.store.fastState().firstSeq });
}

/** A source's message: stored at the next sequence of this stream. */
export function ingestSourced(state: IngestState, msg: SourcedMsg, resources: ResourceCheck):
  IngestResult {
  const cfg = state.config;
  if (cfg.sealed) return fail(apiError(JSStreamSealedErr));
  const headers = msg.hdr !== null && msg.hdr.length > 0 ? new HeaderView(msg.hdr) : null;
  const msgId = headers?.get(HDR.msgId) ?? "";
  if (msgId !== "") {
    const seq = state.dedupe.check(msgId, state.clock.nowNs());
    if (seq !== null) return { kind: "duplicate", seq };
  }
  const limit = sizeError(state, msg, resources);
  if (limit !== null) return fail(limit);
  const rollup = rollupOf(headers);
  if (cfg.retention === "interest" && !state.consumers.hasInterest(msg.subject)) {
    const seq = state.store.skipMsg();
    state.lastSeq = seq;
    state.lastMsgId = msgId;
    if (msgId !== "") state.dedupe.add(msgId, seq, state.clock.nowNs());
    return { kind: "skipped", seq };
  }
  const ttl = ttlOf(state, headers);
  let stored;
  try {
    const opts = { ttl: state.expiry === null ? ttl : 0, rollup: rollup !== null };
    stored = state.store.storeMsg(msg.subject, msg.hdr, msg.payload, opts);
  } catch (error) {
    return storeFailure(error);
  }
  state.lastSeq = stored.seq;
  state.lastMsgId = msgId;
  if (msgId !== "") state.dedupe.add(msgId, stored.seq, stored.ts);
  state.expiry?.track(stored.seq, stored.ts, ttl);
  state.consumers.messageStored(stored.seq, msg.subject);
  if (rollup !== null) rollupPurge(state, msg.subject, rollup);
  return { kind: "stored", seq: stored.seq, ts: stored.ts, subject: msg.subject };
}

/**
 * Moves a mirror to just before origin sequence `seq`: an empty mirror starts there, a gap
 * becomes deleted sequences. False when the mirror is already past it.
 */
export function mirrorSkipTo(state: IngestState, seq: number): boolean {
  const fast = state.store.fastState();
  if (fast.lastSeq >= seq) return false;
  const next = fast.lastSeq + 1;
  if (seq > next) {
    if (fast.msgs === 0) state.store.compact(seq);
    else state.store.skipMsgs(next, seq - next);
  }
  state.lastSeq = seq - 1;
  return true;
}

/** A mirror's message: stored at the origin's sequence and time. */
export function ingestMirrored(
  state: IngestState, msg: SourcedMsg & { seq: number; ts: bigint }, resources: ResourceCheck,
): IngestResult {
  if (state.config.sealed) return fail(apiError(JSStreamSealedErr));
  const limit = sizeError(state, msg, resources);
  if (limit !== null) return fail(limit);
  if (state.lastSeq !== msg.seq - 1 && state.store.fastState().lastSeq !== msg.seq - 1) {
    return fail(apiError(JSStreamStoreFailedF, { err: "last sequence mismatch" }));
  }
  const headers = msg.hdr !== null && msg.hdr.length > 0 ? new HeaderView(msg.hdr) : null;
  const ttl = ttlOf(state, headers);
  try {
    state.store.storeRawMsg({ ...msg, ttl: state.expiry === null ? ttl : 0 },
      { discardNewCheck: state.config.discard === "new" });
  } catch (error) {
    return storeFailure(error);
  }
  const rollup = rollupOf(headers);
  state.lastSeq = msg.seq;
  state.lastMsgId = headers?.get(HDR.msgId) ?? "";
  state.expiry?.track(msg.seq, msg.ts, ttl);
  state.consumers.messageStored(msg.seq, msg.subject);
  if (rollup !== null) rollupPurge(state, msg.subject, rollup);
  return { kind: "stored", seq: msg.seq, ts: msg.ts, subject: msg.subject };
}
