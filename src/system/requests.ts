/**
 * The system account's request services (nats-server's zReq family): `$SYS.REQ.SERVER.PING`,
 * `$SYS.REQ.SERVER.PING.<X>`, `$SYS.REQ.SERVER.<id>.<X>` and `$SYS.REQ.ACCOUNT.<acc>.<Y>`.
 * Answers carry the same JSON the monitoring endpoints serve (built by src/monitor), in the
 * envelope `{"server": …, "data": …}` or `{"server": …, "error": {code, description}}`.
 * A request body may hold the endpoint's options and a server filter (server_name, host,
 * cluster, tags, domain, exact_match); a server the filter excludes stays silent.
 * @module
 */
import { accountz, accstatz } from "../monitor/accounts_endpoints.ts";
import { connz, CONNZ_LIMIT_DEFAULT } from "../monitor/connz.ts";
import { gatewayz, ipqueuesz, leafz, raftz, routez } from "../monitor/feature_endpoints.ts";
import { jszAccount, jszBodyOptions, jszValue, NotLeaderError } from "../monitor/jsz.ts";
import type { GoJsonValue } from "../monitor/go_json.ts";
import { health, healthAssets } from "../monitor/healthz.ts";
import { ConnState, Query } from "../monitor/query.ts";
import type { Reply } from "../monitor/reply.ts";
import type { MonitorSource } from "../monitor/source.ts";
import { subsz } from "../monitor/subsz.ts";
import type { WallClock } from "../monitor/wall_clock.ts";

/** What the services read: the monitor's source and clock, varz and statsz documents. */
export interface RequestContext {
  readonly source: MonitorSource;
  readonly clock: WallClock;
  varz(): GoJsonValue;
  statsz(): GoJsonValue;
  jetStreamEnabled(): boolean;
}

/** A service's answer: the data, or an error with an HTTP-like code. */
export type Answer = { data: GoJsonValue } | { error: { code: number; description: string } }
  | "skip";

/** The filter part of a request body (Go's EventFilterOptions). */
export interface ServerFilter {
  server_name?: string;
  cluster?: string;
  host?: string;
  exact_match?: boolean;
  tags?: string[];
  domain?: string;
}

/** Go's filterRequest: true when the request is not meant for this server. */
export function filteredOut(f: ServerFilter, ctx: RequestContext): boolean {
  const name = ctx.source.name;
  const host = ctx.source.options.host;
  const has = (value: string, wanted: string | undefined) => wanted === undefined ||
    wanted === "" || (f.exact_match === true ? value === wanted : value.includes(wanted));
  // natsd has no cluster: a cluster filter matches only an empty one.
  if (!has(name, f.server_name) || !has(host, f.host) || !has("", f.cluster)) return true;
  const tags = ctx.source.options.serverTags;
  if ((f.tags ?? []).some((t) => !tags.includes(t))) return true;
  return f.domain !== undefined && f.domain !== "";
}

type Options = Record<string, unknown>;

const str = (v: unknown) => (typeof v === "string" ? v : "");
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const bool = (v: unknown) => v === true;

function replyValue(reply: Reply): GoJsonValue {
  if (reply.kind === "json") return reply.value;
  throw new Error(reply.kind === "text" ? reply.body.trim() : "unexpected page");
}

function query(params: Record<string, string>): Query {
  return new Query(new URLSearchParams(params));
}

/** Go's ConnState values in JSON: 0 open, 1 closed, 2 all. */
function connState(v: unknown): ConnState {
  return v === 1 ? ConnState.closed : v === 2 ? ConnState.all : ConnState.open;
}

function connzData(ctx: RequestContext, o: Options, account: string): GoJsonValue {
  return connz(ctx.source, {
    sort: str(o.sort), auth: bool(o.auth), subs: bool(o.subscriptions),
    subsDetail: bool(o.subscriptions_detail), offset: num(o.offset),
    limit: num(o.limit) > 0 ? num(o.limit) : CONNZ_LIMIT_DEFAULT, cid: num(o.cid),
    state: connState(o.state), user: str(o.user), account, mqttClient: str(o.mqtt_client),
  }, ctx.clock);
}

function subszData(ctx: RequestContext, o: Options, account: string, subs: boolean):
  GoJsonValue {
  return subsz(ctx.source, { subs: subs || bool(o.subscriptions), offset: num(o.offset),
    limit: num(o.limit), test: str(o.test), account }, ctx.clock);
}

/**
 * Go's HealthStatus over `$SYS`: unlike /healthz (where the HTTP status carries it), the
 * request's answer keeps `status_code` after `status`.
 */
function healthData(ctx: RequestContext, o: Options): GoJsonValue {
  const result = health({
    jsEnabledOnly: bool(o["js-enabled-only"]) || bool(o["js-enabled"]),
    jsServerOnly: bool(o["js-server-only"]), jsMetaOnly: bool(o["js-meta-only"]),
    account: str(o.account), stream: str(o.stream), consumer: str(o.consumer),
    details: bool(o.details),
  }, {
    jetStreamConfigured: ctx.source.options.jetstream,
    jetStreamEnabled: ctx.jetStreamEnabled(),
    assets: healthAssets(ctx.source.jetstream, (name) => ctx.source.accounts.has(name)),
  });
  const { status, ...rest } = result.body as Record<string, GoJsonValue>;
  return { status, status_code: result.status, ...rest };
}

/** Server endpoints (`$SYS.REQ.SERVER.<id>.<X>` and `….PING.<X>`), STATSZ and IDZ aside. */
export const SERVER_ENDPOINTS: ReadonlyMap<string, (ctx: RequestContext, o: Options) =>
  GoJsonValue> = new Map<string, (ctx: RequestContext, o: Options) => GoJsonValue>([
  ["VARZ", (ctx) => ctx.varz()],
  ["SUBSZ", (ctx, o) => subszData(ctx, o, str(o.account), false)],
  ["CONNZ", (ctx, o) => connzData(ctx, o, str(o.acc))],
  ["ROUTEZ", (ctx) => replyValue(routez(ctx.source, query({}), ctx.clock))],
  ["GATEWAYZ", (ctx) => replyValue(gatewayz(ctx.source, query({}), ctx.clock))],
  ["LEAFZ", (ctx) => replyValue(leafz(ctx.source, query({}), ctx.clock))],
  ["ACCOUNTZ", (ctx, o) => replyValue(accountz(ctx.source, query({ acc: str(o.account) }),
    ctx.clock))],
  ["JSZ", (ctx, o) => jszValue(ctx.source, jszBodyOptions(o), ctx.clock)],
  ["HEALTHZ", (ctx, o) => healthData(ctx, o)],
  ["IPQUEUESZ", () => replyValue(ipqueuesz(query({})))],
  ["RAFTZ", () => replyValue(raftz())],
]);

/** Go's AccountStatz for the named accounts (all when none are named). */
export function accountStatz(ctx: RequestContext, accounts: readonly string[],
  includeUnused: boolean): { value: GoJsonValue; count: number } {
  const all = replyValue(accstatz(ctx.source, query(includeUnused ? { unused: "1" } : {}),
    ctx.clock)) as { account_statz: { acc: string }[] } & Record<string, GoJsonValue>;
  const list = accounts.length === 0 ? all.account_statz
    : all.account_statz.filter((s) => accounts.includes(s.acc));
  return { value: { ...all, account_statz: list as unknown as GoJsonValue }, count: list.length };
}

/** Account endpoints (`$SYS.REQ.ACCOUNT.<acc>.<Y>`). */
export const ACCOUNT_ENDPOINTS: ReadonlyMap<string, (ctx: RequestContext, o: Options,
  account: string) => GoJsonValue | "skip"> = new Map<string, (ctx: RequestContext, o: Options,
  account: string) => GoJsonValue | "skip">([
  ["SUBSZ", (ctx, o, account) => subszData(ctx, o, account, true)],
  ["CONNZ", (ctx, o, account) => connzData(ctx, o, account)],
  ["LEAFZ", (ctx) => replyValue(leafz(ctx.source, query({}), ctx.clock))],
  // Go does not filter PING here: `$SYS.REQ.ACCOUNT.PING.JSZ` answers `account "PING" not found`.
  ["JSZ", (ctx, o, account) => jszAccount(ctx.source, account, jszBodyOptions(o))],
  ["INFO", (ctx, _o, account) => (replyValue(accountz(ctx.source, query({ acc: account }),
    ctx.clock)) as { account_detail: GoJsonValue }).account_detail],
  ["STATZ", (ctx, o, account) => {
    if (account === "PING") return "skip";
    const statz = accountStatz(ctx, [account], bool(o.include_unused));
    return statz.count === 0 && !bool(o.include_unused) ? "skip" : statz.value;
  }],
]);

/** Runs a service with the request body as options; JSON errors answer 400, failures 500. */
export function answer(body: Uint8Array, ctx: RequestContext,
  build: (o: Options) => GoJsonValue | "skip"): Answer {
  let options: Options = {};
  if (body.length > 0) {
    try {
      const parsed: unknown = JSON.parse(new TextDecoder().decode(body));
      options = parsed !== null && typeof parsed === "object" ? parsed as Options : {};
    } catch (error) {
      return { error: { code: 400, description: (error as Error).message } };
    }
    if (filteredOut(options as ServerFilter, ctx)) return "skip";
  }
  try {
    const data = build(options);
    return data === "skip" ? "skip" : { data };
  } catch (error) {
    // Go's errSkipZreq: a server that is not the one asked for stays silent.
    if (error instanceof NotLeaderError) return "skip";
    return { error: { code: 500, description: (error as Error).message } };
  }
}
