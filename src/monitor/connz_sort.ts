/**
 * /connz `sort=` keys. Only cid, start, uptime and reason sort ascending; every other key
 * sorts descending, as nats-server does. Ties keep connection-id order so results are stable.
 * @module
 */
import type { ConnRow } from "./conn_info.ts";

export const SORT_KEYS = [
  "cid", "start", "subs", "pending", "msgs_to", "msgs_from", "bytes_to", "bytes_from",
  "last", "idle", "uptime", "stop", "reason", "rtt",
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export function isSortKey(text: string): text is SortKey {
  return (SORT_KEYS as readonly string[]).includes(text);
}

type Metric = (row: ConnRow, nowMono: number) => number;

const DESCENDING: Partial<Record<SortKey, Metric>> = {
  subs: (row) => row.subscriptions,
  pending: (row) => row.pending,
  msgs_to: (row) => row.outMsgs,
  msgs_from: (row) => row.inMsgs,
  bytes_to: (row) => row.outBytes,
  bytes_from: (row) => row.inBytes,
  last: (row) => row.lastMono,
  idle: (row, now) => now - row.lastMono,
  stop: (row) => row.stopMono ?? 0,
  rtt: (row) => row.rttNs,
};

function uptime(row: ConnRow, nowMono: number): number {
  return (row.stopMono ?? nowMono) - row.startMono;
}

/** Sorts `rows` in place by `key`. */
export function sortRows(rows: ConnRow[], key: SortKey, nowMono: number): void {
  rows.sort((a, b) => a.cid - b.cid);
  if (key === "cid" || key === "start") return;
  if (key === "uptime") {
    rows.sort((a, b) => uptime(a, nowMono) - uptime(b, nowMono));
    return;
  }
  if (key === "reason") {
    rows.sort((a, b) => (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
    return;
  }
  const metric = DESCENDING[key];
  if (metric) rows.sort((a, b) => metric(b, nowMono) - metric(a, nowMono));
}
