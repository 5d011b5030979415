/**
 * Endpoints of features natsd does not run yet (routes, gateways, leafnodes, JetStream, RAFT,
 * internal queues), answering exactly what nats-server answers with the feature off, including
 * its parameter validation. Each grows real content when its feature lands.
 * @module
 */
import { rfc3339 } from "./go_format.ts";
import type { Query } from "./query.ts";
import { json, text, type Reply } from "./reply.ts";
import type { MonitorSource } from "./source.ts";
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

/** nats-server answers /raftz this way while no RAFT group exists. */
export function raftz(): Reply {
  return text(404, "No Raft nodes registered");
}

/** No internal queues exist in natsd: the filtered map is always empty. */
export function ipqueuesz(query: Query): Reply {
  query.bool("all");
  return json({}, 200, "   ");
}
