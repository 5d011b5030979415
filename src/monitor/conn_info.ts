/**
 * One /connz entry (Go's ConnInfo) for an open or a closed connection. Rows keep the raw
 * numbers that sorting needs next to the JSON-ready fields, which are rendered last.
 * @module
 */
import type { ClosedClientInfo } from "../server/closed_clients.ts";
import { goDuration, goUptime, rfc3339 } from "./go_format.ts";
import type { GoJsonValue } from "./go_json.ts";
import {
  GLOBAL_ACCOUNT, type MonitoredConnection, type MonitoredSubscription,
} from "./source.ts";
import type { WallClock } from "./wall_clock.ts";
import { identityDetails, userJwtDetails, type UserJwtDetails } from "./jwt_details.ts";

/** How much of a connection a row carries, from the query. */
export interface RowDetail {
  auth: boolean;
  subs: boolean;
  subsDetail: boolean;
}

/** Go's SubDetail; `account` fields are set only where Go sets them. */
export interface SubDetail {
  account?: string;
  account_tag?: string;
  subject: string;
  qgroup?: string;
  sid: string;
  msgs: number;
  max?: number;
  cid: number;
}

export interface ConnRow {
  cid: number;
  startMono: number;
  lastMono: number;
  /** Undefined while the connection is open. */
  stopMono: number | undefined;
  reason: string;
  rttNs: number;
  pending: number;
  subscriptions: number;
  inMsgs: number;
  outMsgs: number;
  inBytes: number;
  outBytes: number;
  /** Raw auth user (Go's getRawAuthUser) and account name, for filters. */
  user: string;
  account: string;
  render(nowMono: number, clock: WallClock): GoJsonValue;
}

/** The auth identity Go reports: nkey, user, a JWT's user key, or a redacted token. */
export function rawAuthUser(connect: MonitoredConnection["connect"]): string {
  if (connect.nkey) return connect.nkey;
  if (connect.user) return connect.user;
  if (connect.jwt) return userJwtDetails(connect.jwt)?.user ?? "";
  if (connect.authToken) return "[REDACTED]";
  return "";
}

export function subDetail(sub: MonitoredSubscription, account?: string): SubDetail {
  return {
    ...(account !== undefined ? { account, account_tag: account } : {}),
    subject: sub.subject,
    qgroup: sub.queue || undefined,
    sid: sub.sid,
    msgs: sub.delivered,
    max: sub.maxMsgs > 0 ? sub.maxMsgs : undefined,
    cid: sub.owner.cid,
  };
}

/** Go truncates RTTs between 1µs and 1ms to whole microseconds. */
export function rttNanos(rttMs: number): number {
  const ns = Math.round(rttMs * 1_000_000);
  return ns > 1_000 && ns < 1_000_000 ? Math.floor(ns / 1_000) * 1_000 : ns;
}

interface RowFields {
  cid: number;
  ip: string;
  port: number;
  name: string;
  lang: string;
  version: string;
  subsList: string[] | undefined;
  subsDetail: SubDetail[] | undefined;
  nameTag: string | undefined;
  accountShown: string | undefined;
  /** A JWT user's details (connz with auth); absent otherwise. */
  jwt?: UserJwtDetails | null;
}

function render(row: ConnRow, fields: RowFields, auth: boolean, nowMono: number,
  clock: WallClock): GoJsonValue {
  const end = row.stopMono ?? nowMono;
  return {
    cid: fields.cid,
    kind: "Client",
    type: "nats",
    ip: fields.ip,
    port: fields.port,
    start: rfc3339(clock.wall(row.startMono)),
    last_activity: rfc3339(clock.wall(row.lastMono)),
    stop: row.stopMono === undefined ? undefined : rfc3339(clock.wall(row.stopMono)),
    reason: row.reason || undefined,
    rtt: goDuration(row.rttNs),
    uptime: goUptime(end - row.startMono),
    idle: goUptime(end - row.lastMono),
    pending_bytes: row.pending,
    in_msgs: row.inMsgs,
    out_msgs: row.outMsgs,
    in_bytes: row.inBytes,
    out_bytes: row.outBytes,
    subscriptions: row.subscriptions,
    name: fields.name || undefined,
    lang: fields.lang || undefined,
    version: fields.version || undefined,
    authorized_user: auth ? row.user || undefined : undefined,
    account: fields.accountShown,
    subscriptions_list: fields.subsList,
    subscriptions_list_detail: fields.subsDetail as GoJsonValue,
    jwt: fields.jwt?.jwt || undefined,
    issuer_key: fields.jwt?.issuerKey || undefined,
    name_tag: fields.nameTag,
    tags: fields.jwt?.tags.length ? fields.jwt.tags : undefined,
  };
}

function nonGlobal(account: string): string | undefined {
  return account !== "" && account !== GLOBAL_ACCOUNT ? account : undefined;
}

export function openRow(client: MonitoredConnection, detail: RowDetail): ConnRow {
  const subs = [...client.subscriptions.values()];
  const account = client.account?.name ?? "";
  const fields: RowFields = {
    cid: client.cid,
    ip: client.socket.remoteAddress,
    port: client.socket.remotePort ?? 0,
    name: client.connect.name,
    lang: client.connect.lang,
    version: client.connect.version,
    subsList: !detail.subsDetail && detail.subs && subs.length > 0
      ? subs.map((sub) => sub.subject) : undefined,
    subsDetail: detail.subsDetail && subs.length > 0
      ? subs.map((sub) => subDetail(sub)) : undefined,
    nameTag: detail.auth && account ? account : undefined,
    accountShown: detail.auth ? nonGlobal(account) : undefined,
    jwt: detail.auth ? identityDetails(client.connect, account) : undefined,
  };
  const row: ConnRow = {
    cid: client.cid,
    startMono: client.startedAtMs,
    lastMono: client.lastActivityMs,
    stopMono: undefined,
    reason: "",
    rttNs: rttNanos(client.rttMs),
    pending: client.outbound.pendingBytes,
    subscriptions: subs.length,
    inMsgs: client.inMsgs,
    outMsgs: client.outMsgs,
    inBytes: client.inBytes,
    outBytes: client.outBytes,
    user: rawAuthUser(client.connect),
    account,
    render: (nowMono, clock) => render(row, fields, detail.auth, nowMono, clock),
  };
  return row;
}

/** Go records a closed connection's account only when it is not the global account. */
export function closedAccount(info: ClosedClientInfo): string {
  return nonGlobal(info.account) ?? "";
}

export function closedRow(info: ClosedClientInfo, detail: RowDetail): ConnRow {
  const subs = info.subscriptions ?? [];
  const account = closedAccount(info);
  const fields: RowFields = {
    cid: info.cid,
    ip: info.ip,
    port: info.port,
    name: info.name,
    lang: info.lang,
    version: info.version,
    subsList: !detail.subsDetail && detail.subs && subs.length > 0
      ? subs.map((sub) => sub.subject) : undefined,
    subsDetail: detail.subsDetail && subs.length > 0
      ? subs.map((sub) => subDetail(sub, info.account)) : undefined,
    // Go keeps the user JWT's name as the closed connection's name tag; auth shows the account's.
    nameTag: detail.auth && account ? account : info.identity?.name || undefined,
    accountShown: detail.auth && account ? account : undefined,
    // Go stores these in the closed connection's record, so they show with or without auth.
    jwt: info.identity ? { user: info.user ?? "", ...info.identity } : undefined,
  };
  const row: ConnRow = {
    cid: info.cid,
    startMono: info.startedAtMs,
    lastMono: info.lastActivityMs ?? info.startedAtMs,
    stopMono: info.closedAtMs,
    reason: info.reason,
    rttNs: rttNanos(info.rttMs ?? 0),
    pending: 0,
    subscriptions: subs.length,
    inMsgs: info.inMsgs,
    outMsgs: info.outMsgs,
    inBytes: info.inBytes,
    outBytes: info.outBytes,
    user: info.user ?? "",
    account,
    render: (nowMono, clock) => render(row, fields, detail.auth, nowMono, clock),
  };
  return row;
}
