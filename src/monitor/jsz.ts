/**
 * /jsz (nats-server's Jsz): JetStream usage and totals, and with `accounts`, `streams`,
 * `consumers`, `config` or `acc=` the per-account details (AccountDetail with StreamDetail and
 * ConsumerInfo), paged over accounts sorted by name. The same options arrive as JSON in
 * `$SYS.REQ.SERVER.<id|PING>.JSZ` request bodies; `$SYS.REQ.ACCOUNT.<acc>.JSZ` answers one
 * AccountDetail (JszAccount).
 * @module
 */
import { accountStats, streamDetail } from "../jetstream/jsz_detail.ts";
import type { JsAccount } from "../jetstream/js_account.ts";
import type { JsonValue } from "../jetstream/api/go_json.ts";
import { rfc3339 } from "./go_format.ts";
import type { GoJsonValue } from "./go_json.ts";
import { BadQueryError, type Query } from "./query.ts";
import { json, type Reply } from "./reply.ts";
import type { JetStreamUsageView, MonitorSource } from "./source.ts";
import type { WallClock } from "./wall_clock.ts";

/** Go's JSzOptions. */
export interface JszOptions {
  account: string;
  accounts: boolean;
  streams: boolean;
  consumers: boolean;
  directConsumers: boolean;
  config: boolean;
  leaderOnly: boolean;
  offset: number;
  limit: number;
  raft: boolean;
  streamLeaderOnly: boolean;
}

/** Accounts per page when `limit` is 0 or absent (Go's default). */
export const JSZ_LIMIT_DEFAULT = 1024;
/** The JetStream API level /jsz reports (2.14: 4). */
const JS_API_LEVEL_FOR_JSZ = 4;

/** Go's error text when leader-only is asked of a server that is not the meta leader. */
export class NotLeaderError extends BadQueryError {
  constructor() {
    super("filtered response: not leader");
  }
}

export function parseJszQuery(query: Query): JszOptions {
  // Validation order is Go's: the first bad boolean or integer answers 400.
  const accounts = query.bool("accounts");
  const streams = query.bool("streams");
  const consumers = query.bool("consumers");
  const directConsumers = query.bool("direct-consumers");
  const config = query.bool("config");
  const offset = query.int("offset");
  const limit = query.int("limit");
  const leaderOnly = query.bool("leader-only");
  const raft = query.bool("raft");
  const streamLeaderOnly = query.bool("stream-leader-only");
  return {
    account: query.get("acc"), accounts, streams, consumers, directConsumers, config,
    leaderOnly, offset, limit, raft, streamLeaderOnly,
  };
}

const str = (v: unknown) => (typeof v === "string" ? v : "");
const int = (v: unknown) => (typeof v === "number" && Number.isInteger(v) ? v : 0);
const bool = (v: unknown) => v === true;

/** JSzOptions from a `$SYS.REQ…JSZ` request body (Go's JSON field names). */
export function jszBodyOptions(o: Record<string, unknown>): JszOptions {
  return {
    account: str(o.account), accounts: bool(o.accounts), streams: bool(o.streams),
    consumers: bool(o.consumer), directConsumers: bool(o.direct_consumer), config: bool(o.config),
    leaderOnly: bool(o.leader_only), offset: int(o.offset), limit: int(o.limit),
    raft: bool(o.raft), streamLeaderOnly: bool(o.stream_leader_only),
  };
}

/** Go's defaults: consumers imply streams, streams without `acc` imply accounts. */
function withDefaults(o: JszOptions): JszOptions {
  const streams = o.streams || o.consumers;
  return {
    ...o,
    offset: Math.max(0, o.offset),
    limit: o.limit === 0 ? JSZ_LIMIT_DEFAULT : o.limit,
    streams,
    accounts: o.accounts || (streams && o.account === ""),
  };
}

/** The JetStream JSON of jsz_detail as monitor JSON (both encoders share one value model). */
function toGo(value: JsonValue): GoJsonValue {
  return value as GoJsonValue;
}

function jsAccounts(js: JetStreamUsageView): ReadonlyMap<string, JsAccount> {
  return js.accounts as unknown as ReadonlyMap<string, JsAccount>;
}

/** One AccountDetail (Go's accountDetail) for a single, non-clustered server. */
export function accountDetail(jsa: JsAccount, o: JszOptions): GoJsonValue {
  const streams = o.streams
    ? [...jsa.streams.values()].sort((a, b) => (a.name < b.name ? -1 : 1)) : [];
  const details = streams.map((s) => toGo(streamDetail(jsa, s, {
    config: o.config, consumers: o.consumers, directConsumers: o.directConsumers,
  })));
  return {
    name: jsa.accountName,
    id: jsa.accountName,
    ...(toGo(accountStats(jsa)) as Record<string, GoJsonValue>),
    stream_detail: details.length > 0 ? details : undefined,
  };
}

function now(clock: WallClock): string {
  return rfc3339(clock.wall(clock.nowMono()));
}

/** JSInfo with JetStream disabled: Go's embedded JetStreamStats fields come first. */
export function jszDisabled(source: MonitorSource, clock: WallClock): GoJsonValue {
  return {
    memory: 0, storage: 0, reserved_memory: 0, reserved_storage: 0, accounts: 0, ha_assets: 0,
    api: { level: 0, total: 0, errors: 0 },
    server_id: source.id, now: now(clock), disabled: true,
    config: { max_memory: 0, max_storage: 0 },
    streams: 0, consumers: 0, messages: 0, bytes: 0, total: 0,
  };
}

/** Go's Jsz: throws NotLeaderError for leader-only while JetStream is off. */
export function jszValue(source: MonitorSource, options: JszOptions, clock: WallClock):
  GoJsonValue {
  const js = source.jetstream ?? null;
  if (js === null) {
    if (options.leaderOnly) throw new NotLeaderError();
    return jszDisabled(source, clock);
  }
  // A single server is always its own meta leader, so leader-only passes.
  return jszEnabled(source, js, withDefaults(options), clock);
}

function pagedAccounts(js: JetStreamUsageView, o: JszOptions): JsAccount[] {
  const all = [...jsAccounts(js).values()];
  const targeted = all.find((jsa) => jsa.accountName === o.account);
  if (targeted !== undefined) return [targeted];
  if (!o.accounts) return [];
  if (o.limit <= 0) return all;
  all.sort((a, b) => (a.accountName < b.accountName ? -1 : 1));
  const offset = Math.min(o.offset, all.length);
  return all.slice(offset, offset + o.limit);
}

function jszEnabled(source: MonitorSource, js: JetStreamUsageView, o: JszOptions,
  clock: WallClock): GoJsonValue {
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
  const details = pagedAccounts(js, o).map((jsa) => accountDetail(jsa, o));
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
      // Go reports the directory it stores in: the configured one plus "jetstream".
      store_dir: js.storeRoot,
      ...(js.domain ? { domain: js.domain } : {}),
    },
    // Go points at the server's JetStreamLimits; all zero they encode as {}.
    limits: {},
    streams,
    // Leader counts are only made with `raft`; a lone server leads every asset.
    streams_leader: o.raft && streams > 0 ? streams : undefined,
    consumers,
    consumers_leader: o.raft && consumers > 0 ? consumers : undefined,
    messages,
    bytes,
    account_details: details.length > 0 ? details : undefined,
    total: js.accounts.size,
  };
}

/** The /jsz endpoint. */
export function jsz(source: MonitorSource, query: Query, clock: WallClock): Reply {
  return json(jszValue(source, parseJszQuery(query), clock));
}

/** Go's JszAccount for `$SYS.REQ.ACCOUNT.<acc>.JSZ`; errors carry Go's texts. */
export function jszAccount(source: MonitorSource, name: string, options: JszOptions):
  GoJsonValue {
  const js = source.jetstream ?? null;
  if (js === null) throw new Error("jetstream not enabled");
  if (!source.accounts.has(name)) throw new Error(`account "${name}" not found`);
  const jsa = jsAccounts(js).get(name);
  if (jsa === undefined) throw new Error(`account "${name}" not jetstream enabled`);
  // Unlike /jsz, Go's JszAccount takes the flags as given: consumers without streams list none.
  return accountDetail(jsa, options);
}
