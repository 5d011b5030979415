/**
 * /varz: server identity, configuration and runtime counters, field for field in nats-server
 * 2.14's order. Transports natsd does not have yet (cluster, gateway, leaf, mqtt, websocket,
 * JetStream) appear as the empty objects nats-server writes when they are off.
 * @module
 */
import { availableParallelism } from "node:os";
import { NATS_SERVER_VERSION, PROTOCOL_VERSION, RUNTIME_VERSION } from "../server/version.ts";
import { goUptime, rfc3339 } from "./go_format.ts";
import type { GoJsonValue } from "./go_json.ts";
import type { ProcessUsage } from "./process_usage.ts";
import type { MonitorSource } from "./source.ts";
import type { WallClock } from "./wall_clock.ts";
import { trustedOperatorsFields } from "./jwt_details.ts";

const NS_PER_MS = 1_000_000;

/** nats-server's TLS timeout default, in seconds (natsd has no TLS options yet). */
export const TLS_TIMEOUT_DEFAULT_SECONDS = 2;

/** nats-server 2.14's feature flags and their defaults (all off). */
export const FEATURE_FLAGS: ReadonlyMap<string, boolean> = new Map([
  ["js_ack_fc_v2", false],
  ["js_raft_delete_range", false],
]);

/**
 * natsd runs JavaScript on one event-loop thread: the closest meaning of Go's GOMAXPROCS
 * (threads running code at once) is 1.
 */
export const EVENT_LOOP_THREADS = 1;

export interface VarzContext {
  clock: WallClock;
  usage: ProcessUsage;
  /** Requests per endpoint path, as counted by the router. */
  httpReqStats: ReadonlyMap<string, number>;
}

/** Subscriptions across every account. */
export function totalSubscriptions(source: MonitorSource): number {
  let count = 0;
  for (const account of source.accounts.values()) count += account.sublist.count();
  return count;
}

function perKind(clients: number): GoJsonValue {
  return { clients, routes: 0, gateways: 0, leafs: 0 };
}

function configFields(source: MonitorSource): Record<string, GoJsonValue> {
  const o = source.options;
  return {
    max_connections: o.maxConnections,
    max_subscriptions: o.maxSubscriptions > 0 ? o.maxSubscriptions : undefined,
    ping_interval: o.pingIntervalMs * NS_PER_MS,
    ping_max: o.pingMax,
    http_host: o.httpHost || o.host,
    http_port: o.httpPort,
    http_base_path: o.httpBasePath,
    https_port: o.httpsPort,
    auth_timeout: o.authTimeoutMs / 1000,
    max_control_line: o.maxControlLineBytes,
    max_payload: o.maxPayloadBytes,
    max_pending: o.maxPendingBytes,
    cluster: {},
    gateway: {},
    leaf: {},
    mqtt: {},
    websocket: {},
    jetstream: {},
    tls_timeout: TLS_TIMEOUT_DEFAULT_SECONDS,
    write_deadline: o.writeDeadlineMs * NS_PER_MS,
  };
}

function trafficFields(source: MonitorSource): Record<string, GoJsonValue> {
  const s = source.stats;
  // Every connection is a client connection until routes, gateways and leafnodes exist.
  return {
    in_msgs: s.inMsgs,
    in_bytes: s.inBytes,
    in_client_msgs: s.inMsgs,
    in_client_bytes: s.inBytes,
    out_msgs: s.outMsgs,
    out_bytes: s.outBytes,
    out_client_msgs: s.outMsgs,
    out_client_bytes: s.outBytes,
    slow_consumers: s.slowConsumers,
    stale_connections: s.staleConnections,
    stalled_clients: 0,
  };
}

export function varz(source: MonitorSource, ctx: VarzContext): GoJsonValue {
  const o = source.options;
  const nowMono = ctx.clock.nowMono();
  const startWall = source.startedAt.getTime();
  const digest = source.configDigest ?? "";
  const loadedAt = source.configLoadedAt?.getTime() ?? startWall;
  return {
    server_id: source.id,
    server_name: source.name,
    version: NATS_SERVER_VERSION,
    proto: PROTOCOL_VERSION,
    go: RUNTIME_VERSION,
    host: o.host,
    port: source.port,
    auth_required: source.authRequired() ? true : undefined,
    ...configFields(source),
    start: rfc3339(startWall),
    now: rfc3339(ctx.clock.wall(nowMono)),
    uptime: goUptime(ctx.clock.wall(nowMono) - startWall),
    mem: ctx.usage.rssBytes(),
    cores: availableParallelism(),
    gomaxprocs: EVENT_LOOP_THREADS,
    cpu: ctx.usage.cpuPercent(),
    connections: source.clients.size,
    total_connections: source.totalConnections,
    routes: 0,
    remotes: 0,
    leafnodes: 0,
    ...trafficFields(source),
    subscriptions: totalSubscriptions(source),
    http_req_stats: new Map(ctx.httpReqStats),
    config_load_time: rfc3339(loadedAt),
    config_digest: digest,
    feature_flags: new Map(FEATURE_FLAGS),
    ...trustedOperatorsFields(o.trustedOperators),
    system_account: source.systemAccount?.name || undefined,
    slow_consumer_stats: perKind(source.stats.slowConsumers),
    stale_connection_stats: perKind(source.stats.staleConnections),
    disk_io_wait_stats: { waiters: 0, waits: 0, wait_time: 0, max_wait_time: 0 },
  };
}
