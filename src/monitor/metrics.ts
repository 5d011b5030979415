/**
 * /metrics: Prometheus families named as the prometheus-nats-exporter names them (server
 * `gnatsd_varz_*`, connection totals `gnatsd_connz_*`, subscription index `gnatsd_subsz_*`,
 * accounts `gnatsd_accstatz_*`), so dashboards built for the exporter work when Prometheus
 * scrapes natsd directly. `?connz_detailed=1` adds one sample set per connection, as the
 * exporter's `-connz_detailed` does. Values come from the same builders as the JSON endpoints.
 * @module
 */
import { accountTraffic } from "./accounts_endpoints.ts";
import { openRow } from "./conn_info.ts";
import { Exposition, type Labels, type MetricType } from "./exposition.ts";
import type { GoJsonValue } from "./go_json.ts";
import type { MonitorSource } from "./source.ts";
import { mergeStats, sublistStatsJson } from "./subsz.ts";

/** /varz fields that only grow; every other numeric field is a gauge. */
const VARZ_COUNTERS = new Set([
  "total_connections", "in_msgs", "in_bytes", "in_client_msgs", "in_client_bytes", "out_msgs",
  "out_bytes", "out_client_msgs", "out_client_bytes", "slow_consumers", "stale_connections",
  "stalled_clients",
]);

const VARZ_HELP: Record<string, string> = {
  mem: "Resident memory of the server process in bytes",
  cpu: "CPU used by the server process in percent of one core",
  connections: "Client connections open now",
  total_connections: "Client connections accepted since start",
  in_msgs: "Messages received from connections",
  in_bytes: "Payload bytes received from connections",
  out_msgs: "Messages delivered to connections",
  out_bytes: "Payload bytes delivered to connections",
  slow_consumers: "Connections closed as slow consumers since start",
  subscriptions: "Subscriptions across all accounts",
  ping_interval: "Server PING interval in nanoseconds",
  write_deadline: "Write deadline in nanoseconds",
};

/** Adds every numeric top-level /varz field and the identity label gauges. */
export function addVarz(exposition: Exposition, varz: Record<string, GoJsonValue>): void {
  const serverId = String(varz.server_id);
  for (const key of ["server_name", "version"]) {
    exposition.add(`gnatsd_varz_${key}`, "gauge", key, {
      server_id: serverId, value: String(varz[key]),
    }, 1);
  }
  for (const [key, value] of Object.entries(varz)) {
    if (typeof value !== "number") continue;
    const type: MetricType = VARZ_COUNTERS.has(key) ? "counter" : "gauge";
    const help = VARZ_HELP[key] ?? key;
    exposition.add(`gnatsd_varz_${key}`, type, help, { server_id: serverId }, value);
  }
}

function addConnz(exposition: Exposition, source: MonitorSource, detailed: boolean): void {
  const base = { server_id: source.id };
  const totals = { pending_bytes: 0, subscriptions: 0, in_msgs: 0, out_msgs: 0, in_bytes: 0,
    out_bytes: 0 };
  const perConnection: [Labels, typeof totals][] = [];
  for (const client of source.clients.values()) {
    const row = openRow(client, { auth: false, subs: false, subsDetail: false });
    const values = { pending_bytes: row.pending, subscriptions: row.subscriptions,
      in_msgs: row.inMsgs, out_msgs: row.outMsgs, in_bytes: row.inBytes, out_bytes: row.outBytes };
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += values[key];
    if (detailed) {
      perConnection.push([{
        ...base, cid: String(client.cid), kind: "Client", type: "nats",
        ip: client.socket.remoteAddress, port: String(client.socket.remotePort ?? 0),
        name: client.connect.name, lang: client.connect.lang, version: client.connect.version,
        tls_version: "", tls_cipher_suite: "",
      }, values]);
    }
  }
  exposition.add("gnatsd_connz_num_connections", "gauge", "Open connections", base,
    source.clients.size);
  for (const [labels] of perConnection) {
    exposition.add("gnatsd_connz_num_connections", "gauge", "Open connections", labels, 1);
  }
  for (const key of Object.keys(totals) as (keyof typeof totals)[]) {
    const type: MetricType = key.startsWith("in_") || key.startsWith("out_") ? "counter" : "gauge";
    const help = `${key} of open connections`;
    exposition.add(`gnatsd_connz_${key}`, type, help, base, totals[key]);
    for (const [labels, values] of perConnection) {
      exposition.add(`gnatsd_connz_${key}`, type, help, labels, values[key]);
    }
  }
}

function addSubsz(exposition: Exposition, source: MonitorSource): void {
  const all = [...source.accounts.values()].map((account) => account.sublist.stats());
  const stats = sublistStatsJson(mergeStats(all));
  for (const [key, value] of Object.entries(stats)) {
    const type: MetricType = ["num_inserts", "num_removes", "num_matches"].includes(key)
      ? "counter" : "gauge";
    exposition.add(`gnatsd_subsz_${key}`, type, key, { server_id: source.id }, Number(value));
  }
}

function addAccounts(exposition: Exposition, source: MonitorSource): void {
  const traffic = accountTraffic(source);
  for (const account of source.accounts.values()) {
    const labels = {
      server_id: source.id, account: account.name, account_id: account.name,
      account_name: account.name,
    };
    const t = traffic.get(account.name);
    const samples: [string, MetricType, number][] = [
      ["current_connections", "gauge", account.clientCount],
      ["total_connections", "gauge", account.clientCount],
      ["subscriptions", "gauge", account.sublist.count()],
      ["leaf_nodes", "gauge", 0],
      ["sent_messages", "counter", t?.sentMsgs ?? 0],
      ["sent_bytes", "counter", t?.sentBytes ?? 0],
      ["received_messages", "counter", t?.receivedMsgs ?? 0],
      ["received_bytes", "counter", t?.receivedBytes ?? 0],
      ["slow_consumers", "counter", t?.slowConsumers ?? 0],
    ];
    for (const [name, type, value] of samples) {
      exposition.add(`gnatsd_accstatz_${name}`, type, name.replace(/_/g, " "), labels, value);
    }
  }
}

export function metricsText(source: MonitorSource, varz: Record<string, GoJsonValue>,
  detailed: boolean): string {
  const exposition = new Exposition();
  addVarz(exposition, varz);
  addConnz(exposition, source, detailed);
  addSubsz(exposition, source);
  addAccounts(exposition, source);
  return exposition.text();
}
