/**
 * /subsz (alias /subscriptionsz): subscription-index statistics summed over accounts, and with
 * `subs=1` the subscriptions themselves, optionally only those a publish to `test` would reach.
 * @module
 */
import { rfc3339 } from "./go_format.ts";
import type { GoJsonValue } from "./go_json.ts";
import { BadQueryError, type Query } from "./query.ts";
import { subDetail } from "./conn_info.ts";
import type { MonitorSource, SublistStatsView } from "./source.ts";
import type { WallClock } from "./wall_clock.ts";

/** Subscriptions listed when `limit` is absent or not positive. */
export const SUBSZ_LIMIT_DEFAULT = 1024;

export interface SubszOptions {
  subs: boolean;
  offset: number;
  limit: number;
  test: string;
  account: string;
}

export function parseSubszQuery(query: Query): SubszOptions {
  const subs = query.bool("subs");
  const offset = query.int("offset");
  const limit = query.int("limit");
  return { subs, offset, limit, test: query.get("test"), account: query.get("acc") };
}

/** nats-server's literal-subject check: no empty tokens and no wildcard tokens. */
export function isValidLiteralSubject(subject: string): boolean {
  return subject.split(".").every((token) => token !== "" && token !== "*" && token !== ">");
}

/** True when a message published to `literal` matches the subscription `pattern`. */
export function literalMatches(literal: string, pattern: string): boolean {
  const subject = literal.split(".");
  const tokens = pattern.split(".");
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === ">" && i === tokens.length - 1) return subject.length > i;
    if (i >= subject.length) return false;
    if (tokens[i] !== "*" && tokens[i] !== subject[i]) return false;
  }
  return subject.length === tokens.length;
}

/** Statistics summed over accounts; rates and averages weighted by match counts. */
export function mergeStats(all: Iterable<SublistStatsView>): SublistStatsView {
  const total: SublistStatsView = {
    numSubs: 0, numCache: 0, numInserts: 0, numRemoves: 0, numMatches: 0, cacheHitRate: 0,
    maxFanout: 0, avgFanout: 0,
  };
  let hits = 0;
  let fanout = 0;
  for (const stats of all) {
    total.numSubs += stats.numSubs;
    total.numCache += stats.numCache;
    total.numInserts += stats.numInserts;
    total.numRemoves += stats.numRemoves;
    total.numMatches += stats.numMatches;
    total.maxFanout = Math.max(total.maxFanout, stats.maxFanout);
    hits += stats.cacheHitRate * stats.numMatches;
    fanout += stats.avgFanout * stats.numMatches;
  }
  if (total.numMatches > 0) {
    total.cacheHitRate = hits / total.numMatches;
    total.avgFanout = fanout / total.numMatches;
  }
  return total;
}

/** Go's SublistStats JSON fields, in order. */
export function sublistStatsJson(s: SublistStatsView): Record<string, GoJsonValue> {
  return {
    num_subscriptions: s.numSubs,
    num_cache: s.numCache,
    num_inserts: s.numInserts,
    num_removes: s.numRemoves,
    num_matches: s.numMatches,
    cache_hit_rate: s.cacheHitRate,
    max_fanout: s.maxFanout,
    avg_fanout: s.avgFanout,
  };
}

export function subsz(source: MonitorSource, o: SubszOptions, clock: WallClock): GoJsonValue {
  const offset = Math.max(o.offset, 0);
  const limit = o.limit <= 0 ? SUBSZ_LIMIT_DEFAULT : o.limit;
  if (o.test !== "" && !isValidLiteralSubject(o.test)) {
    throw new BadQueryError(`invalid test subject, must be valid publish subject: ${o.test}`);
  }
  const stats: SublistStatsView[] = [];
  const details = [];
  for (const account of source.accounts.values()) {
    if (o.account !== "" && account.name !== o.account) continue;
    stats.push(account.sublist.stats());
    if (!o.subs) continue;
    for (const sub of account.sublist.all()) {
      if (o.test !== "" && !literalMatches(o.test, sub.subject)) continue;
      details.push(subDetail(sub, account.name));
    }
  }
  const first = Math.min(offset, details.length);
  const page = details.slice(first, first + Math.min(limit, details.length - first));
  return {
    server_id: source.id,
    now: rfc3339(clock.wall(clock.nowMono())),
    ...sublistStatsJson(mergeStats(stats)),
    total: details.length,
    offset,
    limit,
    subscriptions_list: page.length > 0 ? page as unknown as GoJsonValue : undefined,
  };
}
