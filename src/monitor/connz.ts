/**
 * /connz: open and recently closed connections with nats-server's filters (cid, state, acc,
 * user, mqtt_client), sort keys and pagination, including its edge cases (the reported total
 * is counted before the user filter; an unknown account answers an empty, id-less result).
 * @module
 */
import type { ClosedClientInfo } from "../server/closed_clients.ts";
import { type ConnRow, closedAccount, closedRow, openRow, type RowDetail } from "./conn_info.ts";
import { isSortKey, type SortKey, sortRows } from "./connz_sort.ts";
import { rfc3339 } from "./go_format.ts";
import type { GoJsonValue } from "./go_json.ts";
import { BadQueryError, ConnState, decodeState, type Query } from "./query.ts";
import type { MonitoredConnection, MonitorSource } from "./source.ts";
import type { WallClock } from "./wall_clock.ts";

/** Connections listed when `limit` is absent or not positive. */
export const CONNZ_LIMIT_DEFAULT = 1024;

export interface ConnzOptions extends RowDetail {
  sort: string;
  offset: number;
  limit: number;
  cid: number;
  state: ConnState;
  user: string;
  account: string;
  mqttClient: string;
}

/** Decodes the query in Go's order, so the first bad parameter is the one reported. */
export function parseConnzQuery(query: Query): ConnzOptions {
  const sort = query.get("sort");
  const auth = query.bool("auth");
  const { subs, detail } = query.subs();
  const offset = query.int("offset");
  const limit = query.int("limit");
  const cid = query.uint64("cid");
  const state = decodeState(query);
  return {
    sort, auth, subs, subsDetail: detail, offset, limit, cid, state,
    user: query.get("user"), account: query.get("acc"), mqttClient: query.get("mqtt_client"),
  };
}

interface Selection {
  open: MonitoredConnection[];
  closed: ClosedClientInfo[];
  total: number;
}

function checkOptions(o: ConnzOptions): SortKey {
  const sort = o.sort === "" ? "cid" : o.sort;
  if (!isSortKey(sort)) throw new BadQueryError(`invalid sorting option: ${o.sort}`);
  if (sort === "stop" && o.state !== ConnState.closed) {
    throw new BadQueryError("sort by stop only valid on closed connections");
  }
  if (sort === "reason" && o.state !== ConnState.closed) {
    throw new BadQueryError("sort by reason only valid on closed connections");
  }
  return sort;
}

function select(source: MonitorSource, o: ConnzOptions): Selection {
  const pool = [...source.clients.values()].filter((client) =>
    o.account === "" || client.account?.name === o.account);
  let closed = o.state === ConnState.open ? [] : source.closedClients.all();
  if (o.account !== "") closed = closed.filter((info) => closedAccount(info) === o.account);
  const total = (o.state === ConnState.closed ? 0 : pool.length) + closed.length;
  if (o.cid > 0) {
    // nats-server looks the id up among all open connections, whatever the account filter.
    const client = o.state === ConnState.closed ? undefined : source.clients.get(o.cid);
    if (client) return { open: [client], closed: [], total };
    return { open: [], closed: closed.filter((info) => info.cid === o.cid).slice(0, 1), total };
  }
  const open = o.state === ConnState.closed ? [] : pool;
  return { open, closed, total };
}

function keep(row: ConnRow, o: ConnzOptions): boolean {
  if (o.user !== "" && row.user !== o.user) return false;
  // natsd has no MQTT clients yet, and nats-server drops non-MQTT rows under this filter.
  return o.mqttClient === "";
}

/** Builds the /connz document; throws BadQueryError for refused options. */
export function connz(source: MonitorSource, o: ConnzOptions, clock: WallClock): GoJsonValue {
  const sort = checkOptions(o);
  const offset = Math.max(o.offset, 0);
  const limit = o.cid > 0 ? 1 : o.limit <= 0 ? CONNZ_LIMIT_DEFAULT : o.limit;
  const nowMono = clock.nowMono();
  const now = rfc3339(clock.wall(nowMono));
  if (o.account !== "" && !source.accounts.has(o.account)) {
    return {
      server_id: "", now, num_connections: 0, total: 0, offset, limit, connections: null,
    };
  }
  const selection = select(source, o);
  const rows = [
    ...selection.open.map((client) => openRow(client, o)),
    ...selection.closed.map((info) => closedRow(info, o)),
  ].filter((row) => keep(row, o));
  sortRows(rows, sort, nowMono);
  const first = Math.min(offset, rows.length);
  const page = rows.slice(first, first + Math.min(limit, rows.length - first));
  return {
    server_id: source.id,
    now,
    num_connections: page.length,
    total: selection.total,
    offset,
    limit,
    connections: page.map((row) => row.render(nowMono, clock)),
  };
}
