/**
 * $JS.API.INFO: the account's JetStream usage, reservations, limits and API counters
 * (Go's JetStreamAccountStats).
 * @module
 */
import type { ApiError } from "./api_error.ts";
import type { JsonValue } from "./go_json.ts";
import { apiLevelError } from "./request.ts";
import { apiResponse, RESPONSE_TYPE } from "./responses.ts";
import type { ApiRequest, ApiResponse, ApiRoute } from "./router.ts";
import type { JsAccount } from "../js_account.ts";
import { JS_API_LEVEL } from "../stream/direct_get.ts";

/** The account statistics fields of an account_info_response. */
export function accountStats(jsa: JsAccount): Record<string, JsonValue> {
  const usage = jsa.usage();
  const reserved = jsa.reserved();
  let consumers = 0;
  for (const stream of jsa.streams.values()) consumers += stream.consumers.count;
  return {
    memory: usage.memory,
    storage: usage.storage,
    reserved_memory: reserved.memory,
    reserved_storage: reserved.storage,
    streams: jsa.streams.size,
    consumers,
    limits: { ...jsa.limits },
    domain: jsa.domain !== "" ? jsa.domain : undefined,
    api: { level: JS_API_LEVEL, total: jsa.router.total, errors: jsa.router.errors },
  };
}

function info(jsa: JsAccount, req: ApiRequest): ApiResponse {
  const levelError: ApiError | null = apiLevelError(req);
  if (levelError) return apiResponse(RESPONSE_TYPE.accountInfo, levelError);
  return apiResponse(RESPONSE_TYPE.accountInfo, null, accountStats(jsa));
}

export function accountRoutes(jsa: JsAccount): ApiRoute[] {
  return [{ pattern: "INFO", handler: (req) => info(jsa, req) }];
}
