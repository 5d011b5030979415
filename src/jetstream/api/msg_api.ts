/**
 * $JS.API.STREAM.MSG.GET and STREAM.MSG.DELETE, plus the clustered-only stream operations that a
 * single server refuses (LEADER.STEPDOWN, PEER.REMOVE).
 * @module
 */
import { ApiError, apiError } from "./api_error.ts";
import {
  JSBadRequestErr, JSClusterRequiredErr, JSNoMessageFoundErr, JSSequenceNotFoundErrF,
  JSStreamMsgDeleteFailedF, JSStreamNotFoundErr, JSStreamSealedErr,
} from "./errors_generated.ts";
import { bool, int, object } from "./json_decode.ts";
import { apiLevelError, decodeStrict, isEmptyRequest } from "./request.ts";
import { apiResponse, RESPONSE_TYPE } from "./responses.ts";
import type { ApiRequest, ApiResponse, ApiRoute } from "./router.ts";
import type { JsAccount } from "../js_account.ts";
import type { StoredMsg } from "../store/mod.ts";
import { storedMsgJson } from "../stream/direct_get.ts";
import { MSG_GET_REQUEST, type MsgGetRequest } from "../stream/msg_get_request.ts";
import type { Stream } from "../stream/stream.ts";

const T = RESPONSE_TYPE;
const deleteRequest = object("JSApiMsgDeleteRequest", { seq: int("uint64"), no_erase: bool });

/** `$JS.API.STREAM.MSG.<op>.<stream>`: the stream is the sixth token. */
const msgStream = (req: ApiRequest) => req.tokens[5] ?? "";

function conflicting(r: MsgGetRequest): boolean {
  const seq = r.seq ?? 0;
  const last = r.last_by_subj ?? "";
  const next = r.next_by_subj ?? "";
  const start = r.start_time !== undefined;
  return (seq > 0 && last !== "") || (seq === 0 && last === "" && next === "" && !start) ||
    (seq > 0 && start) || (start && last !== "") || (last !== "" && next !== "");
}

function load(stream: Stream, r: MsgGetRequest): StoredMsg | null {
  const store = stream.store;
  const seq = r.start_time !== undefined ? store.getSeqFromTime(r.start_time) : r.seq ?? 0;
  const next = r.next_by_subj ?? "";
  try {
    if (seq > 0 && next === "") return store.loadMsg(seq);
    if (next !== "") return store.loadNextMsg(next, Math.max(seq, 1));
    return store.loadLastMsg(r.last_by_subj ?? "");
  } catch {
    return null;
  }
}

function get(jsa: JsAccount, req: ApiRequest): ApiResponse {
  const fail = (e: ApiError) => apiResponse(T.msgGet, e);
  const levelError = apiLevelError(req);
  if (levelError) return fail(levelError);
  if (isEmptyRequest(req.body)) return fail(apiError(JSBadRequestErr));
  const r = decodeStrict<MsgGetRequest>(req.body, MSG_GET_REQUEST, jsa.strict);
  if (r instanceof ApiError) return fail(r);
  if ((r.batch ?? 0) > 0 || (r.max_bytes ?? 0) > 0 || conflicting(r)) {
    return fail(apiError(JSBadRequestErr));
  }
  const stream = jsa.streams.get(msgStream(req));
  if (stream === undefined) return fail(apiError(JSStreamNotFoundErr));
  const m = load(stream, r);
  if (m === null) return fail(apiError(JSNoMessageFoundErr));
  return apiResponse(T.msgGet, null, { message: storedMsgJson(m, r.no_hdr === true) });
}

/** nats-server's answer when nothing was removed, by store type. */
function notRemoved(stream: Stream, seq: number): ApiError {
  if (stream.config.storage === "memory") return apiError(JSSequenceNotFoundErrF, { seq });
  const state = stream.store.fastState();
  if (seq > state.lastSeq) return apiError(JSStreamMsgDeleteFailedF, { err: "stream store EOF" });
  if (seq === 0 || seq < state.firstSeq) {
    return apiError(JSStreamMsgDeleteFailedF, { err: "no message found" });
  }
  return apiError(JSSequenceNotFoundErrF, { seq });
}

function remove(jsa: JsAccount, req: ApiRequest): ApiResponse {
  const fail = (e: ApiError) => apiResponse(T.msgDelete, e);
  const levelError = apiLevelError(req);
  if (levelError) return fail(levelError);
  if (isEmptyRequest(req.body)) return fail(apiError(JSBadRequestErr));
  const r = decodeStrict<{ seq?: number; no_erase?: boolean }>(req.body, deleteRequest,
    jsa.strict);
  if (r instanceof ApiError) return fail(r);
  const stream = jsa.streams.get(msgStream(req));
  if (stream === undefined) return fail(apiError(JSStreamNotFoundErr));
  if (stream.config.sealed) return fail(apiError(JSStreamSealedErr));
  if (stream.config.deny_delete) {
    return fail(apiError(JSStreamMsgDeleteFailedF, { err: "message delete not permitted" }));
  }
  const seq = r.seq ?? 0;
  if (!stream.deleteMsg(seq, r.no_erase === true)) return fail(notRemoved(stream, seq));
  return apiResponse(T.msgDelete, null, { success: true });
}

function clusterRequired(type: string): (req: ApiRequest) => ApiResponse {
  return (req) => apiResponse(type, apiLevelError(req) ?? apiError(JSClusterRequiredErr));
}

export function msgRoutes(jsa: JsAccount): ApiRoute[] {
  return [
    { pattern: "STREAM.MSG.GET.*", handler: (req) => get(jsa, req) },
    { pattern: "STREAM.MSG.DELETE.*", handler: (req) => remove(jsa, req) },
    { pattern: "STREAM.LEADER.STEPDOWN.*", handler: clusterRequired(T.streamLeaderStepDown) },
    { pattern: "STREAM.PEER.REMOVE.*", handler: clusterRequired(T.streamRemovePeer) },
  ];
}
