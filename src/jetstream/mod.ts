/**
 * JetStream: streams, their API and storage. The server starts it with startJetStream; the
 * consumer layer (issue 8) plugs in through JetStream.addRoutes and Stream.attachConsumers.
 * @module
 */
export { JetStream, type JetStreamConfig, type JetStreamHost } from "./jetstream.ts";
export { JsAccount, type AccountLimits } from "./js_account.ts";
export { jetStreamConfig, startJetStream, type JetStreamServer } from "./server_jetstream.ts";
export { JS_API_LEVEL } from "./stream/direct_get.ts";
export { Stream } from "./stream/stream.ts";
export type { StreamConfig } from "./stream/config.ts";
export type { PurgeEvent, StreamConsumers } from "./stream/consumer_hooks.ts";
export { NO_CONSUMERS } from "./stream/consumer_hooks.ts";
export { ApiError, apiError, apiErrorUnless } from "./api/api_error.ts";
export type { ApiHandler, ApiRequest, ApiResponse, ApiRoute } from "./api/router.ts";
export { apiResponse } from "./api/responses.ts";
export { goJson, rfc3339Nano } from "./api/go_json.ts";
export { decodeRequest } from "./api/json_decode.ts";
