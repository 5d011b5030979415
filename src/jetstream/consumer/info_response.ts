/**
 * A consumer's ConsumerInfo fields for an API response.
 * @module
 */
import type { JsonValue } from "../api/go_json.ts";
import { JS_API_LEVEL } from "../stream/direct_get.ts";
import { NATS_SERVER_VERSION } from "../../server/version.ts";
import type { Consumer } from "./consumer.ts";
import { consumerInfoJson } from "./info_json.ts";
import type { ConsumerManager } from "./manager.ts";

/** ConsumerInfo of consumer; `dynamic` adds `_nats.ver` / `_nats.level` to its metadata. */
export function consumerInfoResponse(
  manager: ConsumerManager,
  consumer: Consumer,
  dynamic: boolean,
): Record<string, JsonValue> {
  return consumerInfoJson({
    stream: manager.stream.name,
    name: consumer.name,
    createdNs: consumer.createdNs,
    config: consumer.config,
    info: consumer.info(),
    nowNs: manager.host.clock.nowNs(),
    versionMetadata: dynamic ? { version: NATS_SERVER_VERSION, level: JS_API_LEVEL } : undefined,
  });
}
