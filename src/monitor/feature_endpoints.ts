/**
 * Endpoints of features natsd does not run yet (routes, gateways, leafnodes, JetStream, RAFT,
 * internal queues), answering exactly what nats-server answers with the feature off, including
 * its parameter validation. Each grows real content when its feature lands.
 * @module
 */
import { rfc3339 } from "./go_format.ts";
import type { GoJsonValue } from "./go_json.ts";
import { BadQueryError, type Query } from "./query.ts";
import { json, text, type Reply } from "./reply.ts";
import type { JetStreamUsageView, MonitorSource } from "./source.ts";
import type { WallClock } from "./wall_clock.ts";

function now(clock: WallClock): string {
  return rfc3339(clock.wall(clock.nowMono()));
}

export function routez(source: MonitorSource, query: Query, clock: WallClock): Reply {
  query.subs();
  return json({
    server_id: source.id,
    server_name: source.name,
    now: now(clock),
    num_routes: 0,
    routes: [],
  });
}

export function gatewayz(source: MonitorSource, query: Query, clock: WallClock): Reply {
  query.subs();
  query.bool("accs");
  return json({
    server_id: source.id,
    now: now(clock),
    outbound_gateways: {},
    inbound_gateways: {},
  });
}

export function leafz(source: MonitorSource, query: Query, clock: WallClock): Reply {
  query.bool("subs");
  return json({ server_id: source.id, now: now(clock), leafnodes: 0, leafs: [] });
}

const JSZ_BOOLEANS = [
  "accounts", "streams", "consumers", "direct-consumers", "config",
] as const;

/** JSInfo with JetStream disabled: Go's embedded JetStreamStats fields come first. */
export function jszDisabled(source: MonitorSource, clock: WallClock): GoJsonValue {
  return {
    memory: 0,
    storage: 0,
    reserved_memory: 0,
    reserved_storage: 0,
    accounts: 0,
    ha_assets: 0,
    api: { level: 0, total: 0, errors: 0 },
    server_id: source.id,
    now: now(clock),
    disabled: true,
    config: { max_memory: 0, max_storage: 0 },
    streams: 0,
    consumers: 0,
    messages: 0,
    bytes: 0,
    total: 0,
  };
}

export function jsz(source: MonitorSource, query: Query, clock: WallClock): Reply {
  for (const name of JSZ_BOOLEANS) query.bool(name);
  query.int("offset");
  query.int("limit");
  const leaderOnly = query.bool("leader-only");
  query.bool("raft");
  query.bool("stream-leader-only");
  // With JetStream off this server is never the leader nats-server's leader-only asks for.
  const js = source.jetstream ?? null;
  if (js !== null) return json(jszEnabled(source, js, clock));
  if (leaderOnly) throw new BadQueryError("filtered response: not leader");
  return json(jszDisabled(source, clock));
}

/**
 * JSInfo for a running, single-server JetStream: usage, reservations, API counters and the
 * totals over every account (per-account details are not reported yet).
 */
export function jszEnabled(source: MonitorSource, js: JetStreamUsageView, clock: WallClock):
  GoJsonValue {
  const usage = js.usage();
  let streams = 0;
  let consumers = 0;
  let messages = 0;
  let bytes = 0;
  let apiTotal = 0;
  let apiErrors = 0;
  for (const account of js.accounts.values()) {
    apiTotal += account.router.total;
    apiErrors += account.router.errors;
    for (const stream of account.streams.values()) {
      streams++;
      consumers += stream.consumers.count;
      const state = stream.store.fastState();
      messages += state.msgs;
      bytes += state.bytes;
    }
  }
  return {
    memory: usage.memory,
    storage: usage.storage,
    reserved_memory: js.reserved("memory"),
    reserved_storage: js.reserved("file"),
    accounts: js.accounts.size,
    ha_assets: 0,
    api: { level: JS_API_LEVEL_FOR_JSZ, total: apiTotal, errors: apiErrors },
    server_id: source.id,
    now: now(clock),
    config: {
      max_memory: js.maxMemoryBytes,
      max_storage: js.maxStoreBytes,
      store_dir: js.storeRoot.replace(/\/jetstream$/, ""),
      ...(js.domain ? { domain: js.domain } : {}),
    },
    streams,
    consumers,
    messages,
    bytes,
    total: 0,
  };
}

/** The JetStream API level /jsz reports (2.14: 4). */
const JS_API_LEVEL_FOR_JSZ = 4;

/** nats-server answers /raftz this way while no RAFT group exists. */
export function raftz(): Reply {
  return text(404, "No Raft nodes registered");
}

/** No internal queues exist in natsd: the filtered map is always empty. */
export function ipqueuesz(query: Query): Reply {
  query.bool("all");
  return json({}, 200, "   ");
}
