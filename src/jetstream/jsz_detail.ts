/**
 * Read-only views of an account's JetStream for /jsz details (nats-server's accountDetail):
 * per-account usage, the account tier's limits as reservations, and StreamDetail JSON (name,
 * created, cluster, config, state, consumer_detail, mirror, sources). Nothing here changes
 * state; the monitor owns ordering, paging and the surrounding JSInfo.
 * @module
 */
import type { Consumer } from "./consumer/consumer.ts";
import { consumerInfoJson } from "./consumer/info_json.ts";
import { type JsonValue, rfc3339Nano } from "./api/go_json.ts";
import type { JsAccount } from "./js_account.ts";
import { streamConfigJson } from "./stream/config.ts";
import type { Stream } from "./stream/stream.ts";

/** What a StreamDetail includes (Go's optCfg, optConsumers). */
export interface StreamDetailOptions {
  config: boolean;
  consumers: boolean;
  /** With consumers: also the internal direct consumers (`direct_consumer_detail`). */
  directConsumers?: boolean;
}

/** Go writes an unlimited account tier (-1) as uint64: 2^64 - 1. */
const UINT64_OF_MINUS_ONE = (1n << 64n) - 1n;

function asUint64(limit: number): number | bigint {
  return limit < 0 ? UINT64_OF_MINUS_ONE : limit;
}

/** The account's own JetStreamStats numbers (usage, tier limits, API counters). */
export function accountStats(jsa: JsAccount): Record<string, JsonValue> {
  const usage = jsa.usage();
  return {
    memory: usage.memory,
    storage: usage.storage,
    reserved_memory: asUint64(jsa.limits.max_memory),
    reserved_storage: asUint64(jsa.limits.max_storage),
    accounts: 0,
    ha_assets: 0,
    // Go leaves the account's API level unset: 2.14 writes it as 0.
    api: { level: 0, total: jsa.router.total, errors: jsa.router.errors },
  };
}

/** The public consumers of a stream, by name (the stream's ConsumerManager, when attached). */
export function streamConsumers(stream: Stream, direct = false): Consumer[] {
  const manager = stream.consumers as { consumers?: ReadonlyMap<string, Consumer> };
  if (manager.consumers === undefined) return [];
  // The internal `direct` consumers that mirrors and sources read through are not public;
  // Go lists them apart (getDirectConsumers, `direct-consumers`).
  return [...manager.consumers.values()].filter((c) => (c.config.direct === true) === direct)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

function consumerDetail(stream: Stream, consumer: Consumer, withConfig: boolean,
  nowNs: bigint): Record<string, JsonValue> {
  const info = consumerInfoJson({
    stream: stream.name, name: consumer.name, createdNs: consumer.createdNs,
    config: consumer.config, info: consumer.info(), nowNs,
  });
  return withConfig ? info : { ...info, config: undefined };
}

/** Go's StreamDetail for one stream of a single (non-clustered) server. */
export function streamDetail(jsa: JsAccount, stream: Stream, o: StreamDetailOptions):
  Record<string, JsonValue> {
  const nowNs = jsa.clock.nowNs();
  const consumers = o.consumers ? streamConsumers(stream) : [];
  const direct = o.consumers && o.directConsumers === true ? streamConsumers(stream, true) : [];
  const sourcing = stream.sourcing?.info();
  return {
    name: stream.name,
    created: rfc3339Nano(stream.createdNs),
    cluster: { leader: jsa.serverName },
    config: o.config ? streamConfigJson(stream.config, rfc3339Nano) : undefined,
    state: stream.state().state,
    consumer_detail: consumers.length > 0
      ? consumers.map((c) => consumerDetail(stream, c, o.config, nowNs)) : undefined,
    direct_consumer_detail: direct.length > 0
      ? direct.map((c) => consumerDetail(stream, c, o.config, nowNs)) : undefined,
    mirror: sourcing?.mirror,
    sources: sourcing?.sources,
  };
}
