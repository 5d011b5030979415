/**
 * Direct get (ADR-31): `$JS.API.DIRECT.GET.<stream>` with a JSON request (by sequence, last or
 * next for a subject, as of a start time, in batches, or the last message of many subjects up to
 * a sequence or time) and `$JS.API.DIRECT.GET.<stream>.<subject>` (the last message of one
 * subject, the KV get path). Replies are the raw messages with `Nats-Stream`, `Nats-Subject`,
 * `Nats-Sequence`, `Nats-Time-Stamp` headers added (and `Nats-Num-Pending`, `Nats-Last-Sequence`
 * in batches, ended by a `204 EOB` status), or a status message: 404, 408, 412, 413, as
 * nats-server sends them.
 * @module
 */
import { type JsonValue, rfc3339Nano } from "../api/go_json.ts";
import { decodeRequest } from "../api/json_decode.ts";
import type { StoredMsg, StreamStore } from "../store/mod.ts";
import { appendHeaders, HDR, HeaderView, statusHeaders } from "./headers.ts";
import { MSG_GET_REQUEST, type MsgGetRequest } from "./msg_get_request.ts";

/** nats-server answers at most this many subjects to one multi_last request. */
export const MULTI_LAST_RESULTS_MAX = 1024;
/** The API level natsd implements (nats-server 2.14). */
export const JS_API_LEVEL = 4;

/** What a direct get needs from its stream. */
export interface DirectGetTarget {
  readonly name: string;
  readonly store: StreamStore;
  /** The server's max_pending: the default byte budget of a batch. */
  readonly maxPendingBytes: number;
  reply(subject: string, hdr: Uint8Array | null, payload: Uint8Array): void;
}

const EMPTY = new Uint8Array(0);

function status(t: DirectGetTarget, reply: string, code: number, text: string,
  pairs: [string, string][] = []): void {
  t.reply(reply, statusHeaders(code, text, pairs), EMPTY);
}

/** True when the request asks for a higher API level than natsd has (412). */
export function requiresHigherApiLevel(hdr: Uint8Array | null): boolean {
  if (hdr === null || hdr.length === 0) return false;
  const level = new HeaderView(hdr).get(HDR.requiredApiLevel);
  if (level === null) return false;
  return !/^\d+$/.test(level) || Number(level) > JS_API_LEVEL;
}

/** `$JS.API.DIRECT.GET.<stream>`. */
export function handleDirectGet(
  t: DirectGetTarget, reply: string, hdr: Uint8Array | null, body: Uint8Array,
): void {
  if (reply === "") return;
  if (requiresHigherApiLevel(hdr)) return status(t, reply, 412, "Required Api Level");
  if (body.length === 0) return status(t, reply, 408, "Empty Request");
  const decoded = decodeRequest<MsgGetRequest>(body, MSG_GET_REQUEST, { lenient: true });
  if (!decoded.ok) return status(t, reply, 408, "Malformed Request");
  const req = decoded.value;
  const seq = req.seq ?? 0;
  const last = req.last_by_subj ?? "";
  const next = req.next_by_subj ?? "";
  const multi = req.multi_last ?? [];
  if (seq === 0 && last === "" && next === "" && multi.length === 0 &&
    req.start_time === undefined) {
    return status(t, reply, 408, "Empty Request");
  }
  const batch = req.batch ?? 0;
  if ((seq > 0 && last !== "") || (seq > 0 && req.start_time !== undefined) ||
    (req.start_time !== undefined && last !== "") || (last !== "" && next !== "") ||
    (last !== "" && batch > 0) || (last !== "" && multi.length > 0) ||
    (next !== "" && multi.length > 0) || ((req.up_to_seq ?? 0) > 0 &&
      req.up_to_time !== undefined)) {
    return status(t, reply, 408, "Bad Request");
  }
  serve(t, req, reply);
}

/** `$JS.API.DIRECT.GET.<stream>.<subject...>`. */
export function handleDirectGetLastBySubject(
  t: DirectGetTarget, subject: string, reply: string, hdr: Uint8Array | null, body: Uint8Array,
): void {
  if (reply === "") return;
  if (requiresHigherApiLevel(hdr)) return status(t, reply, 412, "Required Api Level");
  let req: MsgGetRequest = {};
  if (body.length > 0) {
    const decoded = decodeRequest<MsgGetRequest>(body, MSG_GET_REQUEST, { lenient: true });
    if (!decoded.ok) return status(t, reply, 408, "Malformed Request");
    req = decoded.value;
  }
  // The key is everything after the fifth token ($JS.API.DIRECT.GET.<stream>.).
  const parts = subject.split(".");
  const key = parts.slice(5).join(".");
  if (key === "") return status(t, reply, 408, "Bad Request");
  if (req.last_by_subj !== undefined || req.next_by_subj !== undefined ||
    (req.multi_last ?? []).length > 0 || (req.seq ?? 0) !== 0 || (req.batch ?? 0) !== 0 ||
    req.start_time !== undefined || (req.up_to_seq ?? 0) !== 0 || req.up_to_time !== undefined) {
    return status(t, reply, 408, "Bad Request");
  }
  serve(t, { ...req, last_by_subj: key }, reply);
}

function messageHeaders(t: DirectGetTarget, m: StoredMsg, batch: [number, number] | null):
  Uint8Array {
  const pairs: [string, string][] = [
    [HDR.stream, t.name], [HDR.subject, m.subject], [HDR.sequence, String(m.seq)],
    [HDR.timeStamp, rfc3339Nano(m.ts)],
  ];
  if (batch !== null) {
    pairs.push([HDR.numPending, String(batch[0])], [HDR.lastSequence, String(batch[1])]);
  }
  return appendHeaders(m.hdr.length > 0 ? m.hdr : null, pairs);
}

function serve(t: DirectGetTarget, req: MsgGetRequest, reply: string): void {
  if ((req.multi_last ?? []).length > 0) return serveMultiLast(t, req, reply);
  const store = t.store;
  let seq = req.start_time !== undefined ? store.getSeqFromTime(req.start_time) : req.seq ?? 0;
  const next = req.next_by_subj ?? "";
  const isBatch = (req.batch ?? 0) > 0;
  const batch = isBatch ? req.batch ?? 1 : 1;
  let pending = 0;
  let validThrough = 0;
  if (isBatch) {
    const np = store.numPending(Math.max(seq, 1), next === "" ? ">" : next, false);
    pending = np.total;
    validThrough = np.validThrough;
  }
  const budget = (req.max_bytes ?? 0) > 0 ? req.max_bytes ?? 0 : t.maxPendingBytes;
  let sentBytes = 0;
  let lastSent = 0;
  for (let i = 0; i < batch; i++) {
    const m = load(store, req, seq, i === 0 && !isBatch);
    if (m !== null) seq = m.seq + 1;
    if (m === null) {
      if (batch > 1 && i > 0) break;
      return status(t, reply, 404, "Message Not Found");
    }
    let hdr: Uint8Array | null = null;
    if (req.no_hdr !== true) {
      if (isBatch && pending > 0) pending--;
      hdr = messageHeaders(t, m, isBatch ? [pending, lastSent] : null);
    }
    lastSent = m.seq;
    t.reply(reply, hdr, m.payload);
    sentBytes += Buffer.byteLength(m.subject) + m.hdr.length + m.payload.length;
    if (sentBytes >= budget) break;
  }
  if (!isBatch) return;
  if (store.fastState().lastSeq > validThrough) {
    pending = store.numPending(Math.max(seq, 1), next === "" ? ">" : next, false).total;
  }
  status(t, reply, 204, "EOB", [[HDR.numPending, String(pending)],
    [HDR.lastSequence, String(lastSent)]]);
}

function load(store: StreamStore, req: MsgGetRequest, seq: number, exact: boolean):
  StoredMsg | null {
  const next = req.next_by_subj ?? "";
  try {
    if (seq > 0 && next === "") {
      return exact ? store.loadMsg(seq) : store.loadNextMsg(">", seq);
    }
    if (next !== "") return store.loadNextMsg(next, Math.max(seq, 1));
    return store.loadLastMsg(req.last_by_subj ?? "");
  } catch {
    return null;
  }
}

/** The last sequence of every subject matching the filters, at or below maxSeq, ascending. */
export function multiLastSeqs(store: StreamStore, filters: readonly string[], maxSeq: number):
  number[] | "too_many" {
  const seqs = new Set<number>();
  for (const filter of filters) {
    for (const [subject, ss] of store.subjectsState(filter)) {
      if (ss.last <= maxSeq) seqs.add(ss.last);
      else if (ss.msgs > 1) {
        const prev = store.loadPrevMsg(subject, maxSeq);
        if (prev !== null) seqs.add(prev.seq);
      }
    }
    if (seqs.size > MULTI_LAST_RESULTS_MAX) return "too_many";
  }
  return [...seqs].sort((a, b) => a - b);
}

function serveMultiLast(t: DirectGetTarget, req: MsgGetRequest, reply: string): void {
  const store = t.store;
  let upTo = req.up_to_seq ?? 0;
  if (req.up_to_time !== undefined) {
    const seq = store.getSeqFromTime(req.up_to_time);
    if (seq <= store.fastState().firstSeq) return status(t, reply, 404, "No Results");
    upTo = seq - 1;
  }
  if (upTo === 0) upTo = store.fastState().lastSeq;
  const seqs = multiLastSeqs(store, req.multi_last ?? [], upTo);
  if (seqs === "too_many") return status(t, reply, 413, "Too Many Results");
  if (seqs.length === 0) return status(t, reply, 404, "No Results");
  const budget = (req.max_bytes ?? 0) > 0 ? req.max_bytes ?? 0 : t.maxPendingBytes;
  const minSeq = req.seq ?? 0;
  let pending = seqs.length;
  let lastSent = 0;
  let sentBytes = 0;
  let sent = 0;
  for (const seq of seqs) {
    if (pending > 0) pending--;
    if (seq < minSeq) continue;
    let m: StoredMsg;
    try {
      m = store.loadMsg(seq);
    } catch {
      return status(t, reply, 404, "Message Not Found");
    }
    t.reply(reply, messageHeaders(t, m, [pending, lastSent]), m.payload);
    lastSent = m.seq;
    sentBytes += Buffer.byteLength(m.subject) + m.hdr.length + m.payload.length;
    if (sentBytes >= budget) break;
    sent++;
    if ((req.batch ?? 0) > 0 && sent >= (req.batch ?? 0)) break;
  }
  status(t, reply, 204, "EOB", [[HDR.numPending, String(pending)],
    [HDR.lastSequence, String(lastSent)], [HDR.upToSequence, String(upTo)]]);
}

/** The `message` of a STREAM.MSG.GET response (Go's StoredMsg). */
export function storedMsgJson(m: StoredMsg, noHeaders: boolean): JsonValue {
  return {
    subject: m.subject,
    seq: m.seq,
    hdrs: !noHeaders && m.hdr.length > 0 ? m.hdr : undefined,
    data: m.payload.length > 0 ? m.payload : undefined,
    time: rfc3339Nano(m.ts),
  };
}
