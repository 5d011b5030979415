/**
 * /accountz (account list, or one account's detail with `acc=`) and /accstatz (per-account
 * connection and traffic counters). Account traffic is summed from the account's open
 * connections and the closed-connection ring, which is exact until the ring overflows.
 * @module
 */
import { rfc3339 } from "./go_format.ts";
import type { GoJsonValue } from "./go_json.ts";
import { BadQueryError, type Query } from "./query.ts";
import { json, type Reply } from "./reply.ts";
import { GLOBAL_ACCOUNT, type MonitoredAccount, type MonitorSource } from "./source.ts";
import { sublistStatsJson } from "./subsz.ts";
import type { WallClock } from "./wall_clock.ts";

function now(clock: WallClock): string {
  return rfc3339(clock.wall(clock.nowMono()));
}

function accountDetail(source: MonitorSource, account: MonitoredAccount): GoJsonValue {
  return {
    account_name: account.name,
    update_time: rfc3339(source.startedAt.getTime()),
    expired: false,
    complete: true,
    jetstream_enabled: false,
    leafnode_connections: 0,
    client_connections: account.clientCount,
    subscriptions: account.sublist.count(),
    name_tag: account.name,
    sublist_stats: sublistStatsJson(account.sublist.stats()),
  };
}

export function accountz(source: MonitorSource, query: Query, clock: WallClock): Reply {
  const name = query.get("acc");
  const system = source.systemAccount?.name;
  const head = {
    server_id: source.id, now: now(clock), ...(system ? { system_account: system } : {}),
  };
  if (name === "") return json({ ...head, accounts: [...source.accounts.keys()] });
  const account = source.accounts.get(name);
  if (!account) throw new BadQueryError(`Account ${name} does not exist`);
  return json({ ...head, account_detail: accountDetail(source, account) });
}

export interface AccountTraffic {
  receivedMsgs: number;
  receivedBytes: number;
  sentMsgs: number;
  sentBytes: number;
  slowConsumers: number;
}

/** Traffic per account name from open and closed connections. */
export function accountTraffic(source: MonitorSource): Map<string, AccountTraffic> {
  const totals = new Map<string, AccountTraffic>();
  const add = (name: string, c: { inMsgs: number; inBytes: number; outMsgs: number;
    outBytes: number }, slow: boolean) => {
    let t = totals.get(name);
    if (!t) {
      t = { receivedMsgs: 0, receivedBytes: 0, sentMsgs: 0, sentBytes: 0, slowConsumers: 0 };
      totals.set(name, t);
    }
    t.receivedMsgs += c.inMsgs;
    t.receivedBytes += c.inBytes;
    t.sentMsgs += c.outMsgs;
    t.sentBytes += c.outBytes;
    if (slow) t.slowConsumers++;
  };
  for (const client of source.clients.values()) {
    if (client.account) add(client.account.name, client, false);
  }
  for (const info of source.closedClients.all()) {
    add(info.account || GLOBAL_ACCOUNT, info, info.reason.startsWith("Slow Consumer"));
  }
  return totals;
}

function msgBytes(msgs: number, bytes: number): GoJsonValue {
  const zero = { msgs: 0, bytes: 0 };
  return { msgs, bytes, gateways: zero, routes: zero, leafs: zero };
}

export function accstatz(source: MonitorSource, query: Query, clock: WallClock): Reply {
  const unused = query.bool("unused");
  const traffic = accountTraffic(source);
  const stats: GoJsonValue[] = [];
  for (const account of source.accounts.values()) {
    if (!unused && account.clientCount === 0) continue;
    const t = traffic.get(account.name);
    stats.push({
      acc: account.name,
      name: account.name,
      conns: account.clientCount,
      leafnodes: 0,
      total_conns: account.clientCount,
      num_subscriptions: account.sublist.count(),
      sent: msgBytes(t?.sentMsgs ?? 0, t?.sentBytes ?? 0),
      received: msgBytes(t?.receivedMsgs ?? 0, t?.receivedBytes ?? 0),
      slow_consumers: t?.slowConsumers ?? 0,
    });
  }
  return json({ server_id: source.id, now: now(clock), account_statz: stats });
}
