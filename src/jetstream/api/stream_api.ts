/**
 * $JS.API.STREAM.CREATE / UPDATE / INFO / NAMES / LIST / DELETE / PURGE, as nats-server's
 * non-clustered handlers answer them: the same checks in the same order, the same response
 * shapes (including the fields an error response still carries), Go's paging limits.
 * @module
 */
import { NATS_SERVER_VERSION } from "../../server/version.ts";
import { ApiError, apiError, apiErrorUnless } from "./api_error.ts";
import {
  JSBadRequestErr, JSNotEmptyRequestErr, JSStreamCreateErrF, JSStreamInvalidConfigF,
  JSStreamMismatchErr, JSStreamNameContainsPathSeparatorsErr, JSStreamNotFoundErr,
  JSStreamPurgeFailedF, JSStreamSealedErr, JSStreamSubjectOverlapErr, JSStreamUpdateErrF,
} from "./errors_generated.ts";
import type { JsonValue } from "./go_json.ts";
import { bool, int, object, str } from "./json_decode.ts";
import { apiLevelError, decodeStrict, isEmptyRequest, isJsonObjectOrArray } from "./request.ts";
import { apiResponse, RESPONSE_TYPE } from "./responses.ts";
import type { ApiRequest, ApiResponse, ApiRoute } from "./router.ts";
import type { JsAccount } from "../js_account.ts";
import {
  STREAM_CONFIG_REQUEST, type StreamConfig, type StreamConfigRequest,
} from "../stream/config.ts";
import { checkStreamConfig } from "../stream/config_check.ts";
import { checkStreamUpdate } from "../stream/config_update.ts";
import { JS_API_LEVEL } from "../stream/direct_get.ts";
import type { Stream } from "../stream/stream.ts";
import { streamInfoFields } from "../stream/stream_info.ts";
import { subjectsCollide } from "../subjects.ts";
import { setRequiredApiLevel, unsupportedFeature } from "./stream_features.ts";

/** Page sizes of STREAM.NAMES and STREAM.LIST (JSApiNamesLimit, JSApiListLimit). */
export const NAMES_PAGE_MAX = 1024;
export const LIST_PAGE_MAX = 256;

const T = RESPONSE_TYPE;
const VERSION_METADATA = { version: NATS_SERVER_VERSION, level: JS_API_LEVEL };

const pagedRequest = object("JSApiStreamNamesRequest", { offset: int("int"), subject: str });
const infoRequest = object("JSApiStreamInfoRequest",
  { offset: int("int"), deleted_details: bool, subjects_filter: str });
const purgeRequest = object("JSApiStreamPurgeRequest",
  { seq: int("uint64"), filter: str, keep: int("uint64") });

/** The stream name of `$JS.API.STREAM.<op>.<name>`. */
const streamToken = (req: ApiRequest) => req.tokens[4] ?? "";

export function info(jsa: JsAccount, stream: Stream, opts: {
  dynamicMetadata: boolean; domain: boolean; cluster?: boolean;
  state?: Record<string, JsonValue>;
}): Record<string, JsonValue> {
  return streamInfoFields({
    config: stream.config,
    createdNs: stream.createdNs,
    state: opts.state ?? stream.state().state,
    domain: opts.domain ? jsa.domain : "",
    leader: opts.cluster ? jsa.serverName : undefined,
    nowNs: jsa.clock.nowNs(),
    versionMetadata: opts.dynamicMetadata ? VERSION_METADATA : undefined,
    sourcing: stream.sourcing?.info(),
  });
}

async function create(jsa: JsAccount, req: ApiRequest): Promise<ApiResponse> {
  const fail = (e: ApiError) => apiResponse(T.streamCreate, e);
  const levelError = apiLevelError(req);
  if (levelError) return fail(levelError);
  const input = decodeStrict<StreamConfigRequest>(req.body, STREAM_CONFIG_REQUEST, jsa.strict);
  if (input instanceof ApiError) return fail(input);
  const name = streamToken(req);
  if (name !== (input.name ?? "")) return fail(apiError(JSStreamMismatchErr));
  if (/[\\/]/.test(name)) return fail(apiError(JSStreamNameContainsPathSeparatorsErr));
  if (input.sealed) {
    return fail(apiError(JSStreamInvalidConfigF,
      { err: "stream configuration for create can not be sealed" }));
  }
  if (input.mirror_direct && input.mirror === undefined) {
    return fail(apiError(JSStreamInvalidConfigF,
      { err: "stream has no mirror but does have mirror direct" }));
  }
  const cfg = checkStreamConfig(input, jsa.checkContext(), input.pedantic ?? false);
  if (cfg instanceof ApiError) return fail(cfg);
  delete (cfg as StreamConfigRequest).pedantic;
  const unsupported = unsupportedFeature(cfg);
  if (unsupported) return fail(unsupported);
  setRequiredApiLevel(cfg);
  let added;
  try {
    added = await jsa.addStream(cfg);
  } catch (error) {
    jsa.warn(`Stream create failed for '${jsa.accountName} > ${name}': ${error}`);
    return fail(apiError(JSStreamCreateErrF, { err: "error creating store for stream" }));
  }
  if (added instanceof ApiError) return fail(apiErrorUnless(JSStreamCreateErrF, added));
  return apiResponse(T.streamCreate, null,
    { ...info(jsa, added.stream, { dynamicMetadata: true, domain: false }), did_create: true });
}

async function update(jsa: JsAccount, req: ApiRequest): Promise<ApiResponse> {
  const fail = (e: ApiError) => apiResponse(T.streamUpdate, e);
  const levelError = apiLevelError(req);
  if (levelError) return fail(levelError);
  const input = decodeStrict<StreamConfigRequest>(req.body, STREAM_CONFIG_REQUEST, jsa.strict);
  if (input instanceof ApiError) return fail(input);
  const pedantic = input.pedantic ?? false;
  delete input.pedantic;
  const checked = checkStreamConfig(input, jsa.checkContext(), pedantic);
  if (checked instanceof ApiError) return fail(checked);
  const name = streamToken(req);
  if (checked.name !== name) return fail(apiError(JSStreamMismatchErr));
  const stream = jsa.streams.get(name);
  if (stream === undefined) return fail(apiError(JSStreamNotFoundErr));
  const cfg = checkStreamUpdate(stream.config, input, jsa.checkContext(), pedantic);
  if (cfg instanceof ApiError) return fail(cfg);
  const unsupported = unsupportedFeature(cfg);
  if (unsupported) return fail(unsupported);
  const reservation = jsa.checkReservation(cfg, stream);
  if (reservation !== null) return fail(reservation);
  if (jsa.subjectsOverlap(cfg.subjects, stream)) return fail(apiError(JSStreamSubjectOverlapErr));
  setRequiredApiLevel(cfg);
  try {
    await stream.update(cfg);
  } catch (error) {
    return fail(apiErrorUnless(JSStreamUpdateErrF, error));
  }
  jsa.streamAdvisory(name, "modify");
  return apiResponse(T.streamUpdate, null,
    info(jsa, stream, { dynamicMetadata: true, domain: true }));
}

/** Streams whose subjects collide with `filter` (all when empty), sorted by name. */
function filteredStreams(jsa: JsAccount, filter: string): Stream[] {
  const streams = [...jsa.streams.values()].filter((s) =>
    filter === "" || s.config.subjects.some((subject) => subjectsCollide(filter, subject)));
  return streams.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function pageParams<T extends { offset?: number }>(
  req: ApiRequest, schema: typeof pagedRequest, strict: boolean,
): T | ApiError {
  if (!isJsonObjectOrArray(req.body)) return {} as T;
  return decodeStrict<T>(req.body, schema, strict);
}

function names(jsa: JsAccount, req: ApiRequest): ApiResponse {
  const paging = { total: 0, offset: 0, limit: 0, streams: null };
  const fail = (e: ApiError) => apiResponse(T.streamNames, e, paging);
  const levelError = apiLevelError(req);
  if (levelError) return fail(levelError);
  const params = pageParams<{ offset?: number; subject?: string }>(req, pagedRequest, jsa.strict);
  if (params instanceof ApiError) return fail(params);
  const all = filteredStreams(jsa, params.subject ?? "").map((s) => s.name);
  const offset = Math.min(Math.max(params.offset ?? 0, 0), all.length);
  const page = all.slice(offset, offset + NAMES_PAGE_MAX);
  return apiResponse(T.streamNames, null, {
    total: all.length, offset, limit: NAMES_PAGE_MAX, streams: page.length > 0 ? page : null,
  });
}

function list(jsa: JsAccount, req: ApiRequest): ApiResponse {
  const fail = (e: ApiError) =>
    apiResponse(T.streamList, e, { total: 0, offset: 0, limit: 0, streams: [] });
  const levelError = apiLevelError(req);
  if (levelError) return fail(levelError);
  const params = pageParams<{ offset?: number; subject?: string }>(req, pagedRequest, jsa.strict);
  if (params instanceof ApiError) return fail(params);
  const all = filteredStreams(jsa, params.subject ?? "");
  const offset = Math.min(Math.max(params.offset ?? 0, 0), all.length);
  const page = all.slice(offset, offset + LIST_PAGE_MAX)
    .map((s) => info(jsa, s, { dynamicMetadata: false, domain: true }));
  return apiResponse(T.streamList, null,
    { total: all.length, offset, limit: LIST_PAGE_MAX, streams: page });
}

function streamInfo(jsa: JsAccount, req: ApiRequest): ApiResponse {
  const fail = (e: ApiError) => apiResponse(T.streamInfo, e, { total: 0, offset: 0, limit: 0 });
  const levelError = apiLevelError(req);
  if (levelError) return fail(levelError);
  const params = pageParams<{ offset?: number; deleted_details?: boolean;
    subjects_filter?: string }>(req, infoRequest, jsa.strict);
  if (params instanceof ApiError) return fail(params);
  const stream = jsa.streams.get(streamToken(req));
  if (stream === undefined) return fail(apiError(JSStreamNotFoundErr));
  const { state, paging } = stream.state({
    deletedDetails: params.deleted_details ?? false,
    subjectsFilter: params.subjects_filter ?? "",
    offset: Math.max(params.offset ?? 0, 0),
  });
  return apiResponse(T.streamInfo, null, {
    ...paging, ...info(jsa, stream, { dynamicMetadata: true, domain: true, cluster: true, state }),
  });
}

async function deleteStream(jsa: JsAccount, req: ApiRequest): Promise<ApiResponse> {
  const fail = (e: ApiError) => apiResponse(T.streamDelete, e);
  const levelError = apiLevelError(req);
  if (levelError) return fail(levelError);
  if (!isEmptyRequest(req.body)) return fail(apiError(JSNotEmptyRequestErr));
  const stream = jsa.streams.get(streamToken(req));
  if (stream === undefined) return fail(apiError(JSStreamNotFoundErr));
  await jsa.deleteStream(stream);
  return apiResponse(T.streamDelete, null, { success: true });
}

function purge(jsa: JsAccount, req: ApiRequest): ApiResponse {
  const fail = (e: ApiError) => apiResponse(T.streamPurge, e, { purged: 0 });
  const levelError = apiLevelError(req);
  if (levelError) return fail(levelError);
  let params: { seq?: number; filter?: string; keep?: number } = {};
  if (isJsonObjectOrArray(req.body)) {
    const decoded = decodeStrict<typeof params>(req.body, purgeRequest, jsa.strict);
    if (decoded instanceof ApiError) return fail(decoded);
    if ((decoded.seq ?? 0) > 0 && (decoded.keep ?? 0) > 0) return fail(apiError(JSBadRequestErr));
    params = decoded;
  }
  const stream = jsa.streams.get(streamToken(req));
  if (stream === undefined) return fail(apiError(JSStreamNotFoundErr));
  if (stream.config.sealed) return fail(apiError(JSStreamSealedErr));
  if (stream.config.deny_purge) {
    return fail(apiError(JSStreamPurgeFailedF, { err: "stream purge not permitted" }));
  }
  const purged = stream.purge(params);
  return apiResponse(T.streamPurge, null, { success: true, purged });
}

/** The STREAM.* routes of an account (MSG.GET/MSG.DELETE are in msg_api.ts). */
export function streamRoutes(jsa: JsAccount): ApiRoute[] {
  return [
    { pattern: "STREAM.CREATE.*", handler: (req) => create(jsa, req) },
    { pattern: "STREAM.UPDATE.*", handler: (req) => update(jsa, req) },
    { pattern: "STREAM.NAMES", handler: (req) => names(jsa, req) },
    { pattern: "STREAM.LIST", handler: (req) => list(jsa, req) },
    { pattern: "STREAM.INFO.*", handler: (req) => streamInfo(jsa, req) },
    { pattern: "STREAM.DELETE.*", handler: (req) => deleteStream(jsa, req) },
    { pattern: "STREAM.PURGE.*", handler: (req) => purge(jsa, req) },
  ];
}

export type { StreamConfig };
