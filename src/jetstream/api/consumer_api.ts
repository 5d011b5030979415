/**
 * $JS.API.CONSUMER.CREATE (three subject forms) / DURABLE.CREATE / NAMES / LIST / INFO / DELETE /
 * PAUSE / UNPIN, as nats-server's non-clustered handlers answer them: the same checks in the
 * same order, the same response shapes (including the fields an error response still carries),
 * Go's paging limits. MSG.NEXT and RESET are answered by each consumer on its own subjects.
 * @module
 */
import { ApiError, apiError, apiErrorUnless } from "./api_error.ts";
import * as E from "./errors_generated.ts";
import { GO_ZERO_TIME, type JsonValue, rfc3339Nano } from "./go_json.ts";
import { int, object, str, time } from "./json_decode.ts";
import { apiLevelError, decodeStrict, isEmptyRequest, isJsonObjectOrArray } from "./request.ts";
import { apiResponse } from "./responses.ts";
import type { ApiRequest, ApiResponse, ApiRoute } from "./router.ts";
import type { JsAccount } from "../js_account.ts";
import { CREATE_CONSUMER_REQUEST, type CreateConsumerRequest } from "../consumer/config.ts";
import { NO_LIMITS } from "../consumer/config_check.ts";
import { addConsumer, prepareSourcingRequest, setStaticMetadata } from "../consumer/create.ts";
import { consumerInfoResponse } from "../consumer/info_response.ts";
import { ConsumerManager, consumerMeta } from "../consumer/manager.ts";

/** Page sizes of CONSUMER.NAMES and CONSUMER.LIST (JSApiNamesLimit, JSApiListLimit). */
export const CONSUMER_NAMES_PAGE_MAX = 1024;
export const CONSUMER_LIST_PAGE_MAX = 256;

const V1 = "io.nats.jetstream.api.v1.";
export const CONSUMER_RESPONSE_TYPE = {
  create: `${V1}consumer_create_response`,
  names: `${V1}consumer_names_response`,
  list: `${V1}consumer_list_response`,
  info: `${V1}consumer_info_response`,
  delete: `${V1}consumer_delete_response`,
  pause: `${V1}consumer_pause_response`,
  unpin: `${V1}consumer_unpin_response`,
} as const;
const T = CONSUMER_RESPONSE_TYPE;

const pagedRequest = object("JSApiConsumersRequest", { offset: int("int") });
const pauseRequest = object("JSApiConsumerPauseRequest", { pause_until: time });
const unpinRequest = object("JSApiConsumerUnpinRequest", { group: str });

/** The consumers of a stream, or the stream-not-found error. */
function managerOf(jsa: JsAccount, stream: string): ConsumerManager | ApiError {
  const s = jsa.streams.get(stream);
  if (s === undefined || !(s.consumers instanceof ConsumerManager)) {
    return apiError(E.JSStreamNotFoundErr);
  }
  return s.consumers;
}

interface CreateTarget {
  stream: string;
  consumer: string;
  filter: string;
  kind: "legacy_ephemeral" | "legacy_durable" | "new";
}

/** Reads the three CREATE subject forms and DURABLE.CREATE (jsConsumerCreateRequest). */
function createTarget(tokens: readonly string[]): CreateTarget | ApiError | null {
  const n = tokens.length;
  if (n < 5) return null;
  if (n === 5) return { stream: tokens[4], consumer: "", filter: "", kind: "legacy_ephemeral" };
  if (tokens[3] === "DURABLE") {
    if (n !== 7) return apiError(E.JSConsumerDurableNameNotInSubjectErr);
    return { stream: tokens[5], consumer: tokens[6], filter: "", kind: "legacy_durable" };
  }
  return { stream: tokens[4], consumer: tokens[5], filter: tokens.slice(6).join("."), kind: "new" };
}

/** The request checks before the stream is looked up, in nats-server's order. */
function checkCreateRequest(req: CreateConsumerRequest, target: CreateTarget): ApiError | null {
  const cfg = req.config!;
  if (target.stream !== (req.stream_name ?? "")) return apiError(E.JSStreamMismatchErr);
  const name = target.kind === "legacy_ephemeral" ? cfg.name ?? "" : target.consumer;
  if (name !== "" && /[\\/]/.test(name)) return apiError(E.JSConsumerNameContainsPathSeparatorsErr);
  const durable = cfg.durable_name ?? "";
  if (target.kind === "legacy_durable") {
    if (durable === "") return apiError(E.JSConsumerDurableNameNotSetErr);
    if (target.consumer !== durable) return apiError(E.JSConsumerDurableNameNotMatchSubjectErr);
    cfg.name = target.consumer;
  }
  if (target.kind === "new") {
    if (durable !== "" && target.consumer !== durable) {
      return apiError(E.JSConsumerDurableNameNotMatchSubjectErr);
    }
    cfg.name = target.consumer;
  }
  if (target.kind === "legacy_ephemeral" && durable !== "") {
    return apiError(E.JSConsumerEphemeralWithDurableNameErr);
  }
  if (target.filter !== "" && (cfg.filter_subjects ?? []).length !== 0) {
    return apiError(E.JSConsumerMultipleFiltersNotAllowed);
  }
  if (target.filter !== "" && (cfg.filter_subject ?? "") !== target.filter) {
    return apiError(E.JSConsumerCreateFilterSubjectMismatchErr);
  }
  if ((cfg.num_replicas ?? 0) > 1) return apiError(E.JSStreamReplicasNotSupportedErr);
  return null;
}

async function create(jsa: JsAccount, req: ApiRequest): Promise<ApiResponse> {
  const fail = (e: ApiError) => apiResponse(T.create, e);
  const input = decodeStrict<CreateConsumerRequest>(req.body, CREATE_CONSUMER_REQUEST);
  if (input instanceof ApiError) return fail(input);
  const levelError = apiLevelError(req);
  if (levelError) return fail(levelError);
  const target = createTarget(req.tokens);
  if (target === null) return null;
  if (target instanceof ApiError) return fail(target);
  input.config ??= {};
  const refused = checkCreateRequest(input, target);
  if (refused !== null) return fail(refused);
  const manager = managerOf(jsa, target.stream);
  if (manager instanceof ApiError) return fail(manager);
  const cfg = input.config;
  prepareSourcingRequest(manager, cfg);
  const wanted = (cfg.durable_name ?? "") !== "" ? cfg.durable_name! : cfg.name ?? "";
  const existing = wanted !== "" ? manager.consumers.get(wanted) : undefined;
  // An existing consumer keeps its pause (that is what CONSUMER.PAUSE is for).
  if (existing !== undefined) cfg.pause_until = existing.config.pause_until;
  setStaticMetadata(cfg);
  const added = await addConsumer(manager, cfg, {
    action: input.action ?? "",
    pedantic: input.pedantic ?? false,
    limits: { ...NO_LIMITS, accountMaxAckPending: Math.max(jsa.limits.max_ack_pending, 0) },
  });
  if (added instanceof ApiError) return fail(apiErrorUnless(E.JSConsumerCreateErrF, added));
  return apiResponse(T.create, null, consumerInfoResponse(manager, added.consumer, true));
}

function pagedOffset(req: ApiRequest): number | ApiError {
  if (!isJsonObjectOrArray(req.body)) return 0;
  const decoded = decodeStrict<{ offset?: number }>(req.body, pagedRequest);
  if (decoded instanceof ApiError) return decoded;
  return Math.max(decoded.offset ?? 0, 0);
}

/**
 * The checks NAMES and LIST share (API level, paging request, the stream): the stream's
 * consumers and the requested offset, or the failure response of `type`.
 */
function pagedConsumers(jsa: JsAccount, req: ApiRequest, type: string):
  { manager: ConsumerManager; offset: number } | { failure: ApiResponse } {
  const empty = { total: 0, offset: 0, limit: 0, consumers: [] as JsonValue[] };
  const fail = (e: ApiError) => ({ failure: apiResponse(type, e, empty) });
  const levelError = apiLevelError(req);
  if (levelError) return fail(levelError);
  const offset = pagedOffset(req);
  if (offset instanceof ApiError) return fail(offset);
  const manager = managerOf(jsa, req.tokens[4] ?? "");
  if (manager instanceof ApiError) return fail(manager);
  return { manager, offset };
}

function names(jsa: JsAccount, req: ApiRequest): ApiResponse {
  const paged = pagedConsumers(jsa, req, T.names);
  if ("failure" in paged) return paged.failure;
  const { manager, offset } = paged;
  const all = [...manager.consumers.keys()].sort();
  const start = Math.min(offset, all.length);
  return apiResponse(T.names, null, {
    total: all.length,
    offset: start,
    limit: CONSUMER_NAMES_PAGE_MAX,
    consumers: all.slice(start, start + CONSUMER_NAMES_PAGE_MAX),
  });
}

function list(jsa: JsAccount, req: ApiRequest): ApiResponse {
  const paged = pagedConsumers(jsa, req, T.list);
  if ("failure" in paged) return paged.failure;
  const { manager, offset } = paged;
  const all = [...manager.consumers.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  const start = Math.min(offset, all.length);
  const page = all.slice(start, start + CONSUMER_LIST_PAGE_MAX);
  return apiResponse(T.list, null, {
    total: all.length,
    offset: start,
    limit: CONSUMER_LIST_PAGE_MAX,
    consumers: page.map((c) => consumerInfoResponse(manager, c, false)),
  });
}

/** The stream and consumer of `$JS.API.CONSUMER.<op>.<stream>.<consumer>`. */
function lookup(jsa: JsAccount, req: ApiRequest) {
  const manager = managerOf(jsa, req.tokens[4] ?? "");
  if (manager instanceof ApiError) return manager;
  const consumer = manager.consumers.get(req.tokens[5] ?? "");
  if (consumer === undefined) return apiError(E.JSConsumerNotFoundErr);
  return { manager, consumer };
}

function info(jsa: JsAccount, req: ApiRequest): ApiResponse {
  const fail = (e: ApiError) => apiResponse(T.info, e);
  if (!isEmptyRequest(req.body)) return fail(apiError(E.JSNotEmptyRequestErr));
  const levelError = apiLevelError(req);
  if (levelError) return fail(levelError);
  const found = lookup(jsa, req);
  if (found instanceof ApiError) return fail(found);
  return apiResponse(T.info, null, consumerInfoResponse(found.manager, found.consumer, true));
}

async function remove(jsa: JsAccount, req: ApiRequest): Promise<ApiResponse> {
  const fail = (e: ApiError) => apiResponse(T.delete, e);
  const levelError = apiLevelError(req);
  if (levelError) return fail(levelError);
  if (!isEmptyRequest(req.body)) return fail(apiError(E.JSNotEmptyRequestErr));
  const found = lookup(jsa, req);
  if (found instanceof ApiError) return fail(found);
  await found.manager.deleteConsumer(found.consumer.name, true);
  return apiResponse(T.delete, null, { success: true });
}

function pause(jsa: JsAccount, req: ApiRequest): ApiResponse {
  const fail = (e: ApiError) =>
    apiResponse(T.pause, e, { paused: false, pause_until: GO_ZERO_TIME });
  let until = 0n;
  if (isJsonObjectOrArray(req.body)) {
    const decoded = decodeStrict<{ pause_until?: bigint }>(req.body, pauseRequest);
    if (decoded instanceof ApiError) return fail(decoded);
    until = decoded.pause_until ?? 0n;
  }
  const levelError = apiLevelError(req);
  if (levelError) return fail(levelError);
  const found = lookup(jsa, req);
  if (found instanceof ApiError) return fail(found);
  const { manager, consumer } = found;
  const cfg = { ...consumer.config, metadata: { ...(consumer.config.metadata ?? {}) } };
  if (until !== 0n) cfg.pause_until = until;
  else delete cfg.pause_until;
  setStaticMetadata(cfg);
  consumer.updateConfig(cfg, consumerMeta(consumer.name, consumer.createdNs, cfg));
  const now = manager.host.clock.nowNs();
  const paused = until !== 0n && now < until;
  return apiResponse(T.pause, null, {
    paused,
    pause_until: until !== 0n ? rfc3339Nano(until) : GO_ZERO_TIME,
    pause_remaining: paused ? until - now : undefined,
  });
}

function unpin(jsa: JsAccount, req: ApiRequest): ApiResponse {
  const fail = (e: ApiError) => apiResponse(T.unpin, e);
  const levelError = apiLevelError(req);
  if (levelError) return fail(levelError);
  const decoded = decodeStrict<{ group?: string }>(req.body, unpinRequest);
  if (decoded instanceof ApiError) return fail(decoded);
  const group = decoded.group ?? "";
  if (group === "") {
    return fail(apiError(E.JSInvalidJSONErr, { err: "consumer group not specified" }));
  }
  if (!/^[a-zA-Z0-9/_=-]{1,16}$/.test(group)) {
    return fail(apiError(E.JSConsumerInvalidGroupNameErr));
  }
  const found = lookup(jsa, req);
  if (found instanceof ApiError) return fail(found);
  if (!found.consumer.core.unpin(group, found.manager.host.clock.nowNs())) {
    return fail(apiError(E.JSConsumerInvalidPriorityGroupErr));
  }
  found.consumer.schedule();
  return apiResponse(T.unpin, null);
}

/** The consumer API routes of an account. */
export function consumerRoutes(jsa: JsAccount): ApiRoute[] {
  return [
    { pattern: "CONSUMER.CREATE.>", handler: (req) => create(jsa, req) },
    { pattern: "CONSUMER.DURABLE.CREATE.>", handler: (req) => create(jsa, req) },
    { pattern: "CONSUMER.NAMES.*", handler: (req) => names(jsa, req) },
    { pattern: "CONSUMER.LIST.*", handler: (req) => list(jsa, req) },
    { pattern: "CONSUMER.INFO.*.*", handler: (req) => info(jsa, req) },
    { pattern: "CONSUMER.DELETE.*.*", handler: (req) => remove(jsa, req) },
    { pattern: "CONSUMER.PAUSE.*.*", handler: (req) => pause(jsa, req) },
    { pattern: "CONSUMER.UNPIN.*.*", handler: (req) => unpin(jsa, req) },
  ];
}
