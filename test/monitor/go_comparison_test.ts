/**
 * Side by side: natsd and Go nats-server 2.9.10 run the same workload and every endpoint's
 * JSON is compared by shape (keys, nesting, value types) and by its deterministic counters.
 * Keys that exist only in one version are listed here, each with its reason; anything else
 * that differs fails the test.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RawClient } from "../harness/raw_client.ts";
import { type RunningServer, startServer } from "../harness/server_process.ts";
import { getJson, type Json } from "./monitor_http.ts";

const GO_BINARY = Bun.which("nats-server") ?? Bun.which("nats-server", { PATH: "/usr/sbin" });
const RUN = GO_BINARY !== null && !process.env.NATS_SERVER;

/** Keys present in natsd (2.14) but not in Go 2.9.10, per path prefix of the shape. */
const NATSD_ONLY = [
  // 2.10-2.14 additions to /varz.
  "varz.in_client_msgs", "varz.in_client_bytes", "varz.out_client_msgs",
  "varz.out_client_bytes", "varz.stale_connections", "varz.stalled_clients",
  "varz.config_digest", "varz.feature_flags", "varz.slow_consumer_stats",
  "varz.stale_connection_stats", "varz.disk_io_wait_stats",
  // 2.9.10 writes only the statistics when subs is not requested.
  "subsz.server_id", "subsz.now", "subsz.total", "subsz.offset", "subsz.limit",
  "routez.server_name", "jsz.api.level", "jsz.total", "jsz.limits",
  "accstatz.account_statz[].name", "accstatz.account_statz[].num_subscriptions",
  "accstatz.account_statz[].sent.gateways", "accstatz.account_statz[].sent.routes",
  "accstatz.account_statz[].sent.leafs", "accstatz.account_statz[].received.gateways",
  "accstatz.account_statz[].received.routes", "accstatz.account_statz[].received.leafs",
  "accountz_g.account_detail.name_tag", "subsz_list.subscriptions_list[].account_tag",
];
/** Keys present in Go but not natsd: everything the system account brings. */
const GO_ONLY = [
  "varz.system_account", "accountz.system_account", "accountz_g.system_account",
  "accountz_g.account_detail.imports",
];
/** Same key, different type between the versions. */
const TYPE_CHANGED = ["leafz.leafs"]; // null in 2.9.10, [] in 2.14

const ENDPOINTS: Record<string, string> = {
  varz: "/varz", connz: "/connz?subs=detail", subsz: "/subsz",
  subsz_list: "/subsz?subs=1&test=foo", routez: "/routez", gatewayz: "/gatewayz",
  leafz: "/leafz", jsz: "/jsz", accountz: "/accountz", accountz_g: "/accountz?acc=$G",
  accstatz: "/accstatz", closed: "/connz?state=closed",
};

/** Flattens a document into "path: type" lines; array elements are merged under `[]`. */
function shape(value: unknown, path: string, out: Map<string, string>): Map<string, string> {
  if (Array.isArray(value)) {
    out.set(path, "array");
    for (const item of value) shape(item, `${path}[]`, out);
  } else if (value !== null && typeof value === "object") {
    out.set(path, "object");
    for (const [key, item] of Object.entries(value)) shape(item, `${path}.${key}`, out);
  } else {
    out.set(path, value === null ? "null" : typeof value);
  }
  return out;
}

function covered(path: string, list: string[]): boolean {
  return list.some((prefix) => path === prefix || path.startsWith(`${prefix}.`) ||
    path.startsWith(`${prefix}[]`));
}

interface Side {
  server: RunningServer;
  baseline: Json;
  docs: Record<string, Json>;
  clients: RawClient[];
}

async function runSide(command: string | undefined): Promise<Side> {
  const server = await startServer({
    args: ["-m", "-1"], command: command ? [command] : undefined,
  });
  const baseline = await getJson(server, "/varz");
  const sub = await RawClient.connect(server.port);
  await sub.readInfo();
  sub.send('CONNECT {"verbose":false,"name":"s","lang":"raw","version":"1"}\r\n' +
    "SUB foo 1\r\nSUB foo.* q 2\r\n");
  await sub.flush();
  const pub = await RawClient.connect(server.port);
  await pub.readInfo();
  pub.send('CONNECT {"verbose":false,"name":"p"}\r\nPUB foo 2\r\nhi\r\nPUB foo.x 3\r\nabc\r\n');
  await pub.flush();
  await sub.waitFor((text) => text.includes("abc\r\n"));
  const gone = await RawClient.connect(server.port);
  await gone.readInfo();
  gone.send('CONNECT {"verbose":false,"name":"gone"}\r\nPUB foo 1\r\nz\r\n');
  await gone.flush();
  await sub.waitFor((text) => text.includes("z\r\n"));
  gone.close();
  const docs: Record<string, Json> = {};
  for (let attempt = 0; attempt < 200; attempt++) {
    docs.closed = await getJson(server, ENDPOINTS.closed);
    if (docs.closed.num_connections === 1) break;
  }
  for (const [name, path] of Object.entries(ENDPOINTS)) {
    if (name !== "closed") docs[name] = await getJson(server, path);
  }
  return { server, baseline, docs, clients: [sub, pub] };
}

let natsd: Side;
let go: Side;

beforeAll(async () => {
  if (!RUN) return;
  natsd = await runSide(undefined);
  go = await runSide(GO_BINARY!);
});

afterAll(async () => {
  for (const side of [natsd, go]) {
    for (const client of side?.clients ?? []) client.close();
    await side?.server.stop();
  }
});

describe.skipIf(!RUN)("natsd and Go side by side", () => {
  for (const name of Object.keys(ENDPOINTS)) {
    test(`${name}: same keys and types, except documented version differences`, () => {
      const ours = shape(natsd.docs[name], name, new Map());
      const theirs = shape(go.docs[name], name, new Map());
      const problems: string[] = [];
      for (const [path, type] of ours) {
        if (!theirs.has(path)) {
          if (!covered(path, NATSD_ONLY)) problems.push(`only in natsd: ${path}`);
        } else if (theirs.get(path) !== type && !covered(path, TYPE_CHANGED)) {
          problems.push(`type of ${path}: natsd ${type}, Go ${theirs.get(path)}`);
        }
      }
      for (const path of theirs.keys()) {
        if (!ours.has(path) && !covered(path, GO_ONLY)) problems.push(`only in Go: ${path}`);
      }
      expect(problems).toEqual([]);
    });
  }

  test("deterministic counters agree", () => {
    const delta = (side: Side, key: string) => side.docs.varz[key] - side.baseline[key];
    for (const key of ["connections", "total_connections", "in_msgs", "in_bytes", "out_msgs",
      "out_bytes", "subscriptions"]) {
      expect([key, delta(natsd, key)]).toEqual([key, delta(go, key)]);
    }
    const counters = (side: Side) => (side.docs.connz.connections as Json[]).map((c) => [
      c.name, c.lang, c.version, c.subscriptions, c.in_msgs, c.in_bytes, c.out_msgs, c.out_bytes,
      c.pending_bytes,
    ]);
    expect(counters(natsd)).toEqual(counters(go));
    const closed = (side: Side) => (side.docs.closed.connections as Json[])
      .map((c) => [c.name, c.reason, c.in_msgs, c.in_bytes]);
    expect(closed(natsd)).toEqual(closed(go));
    const stat = (side: Side) => (side.docs.accstatz.account_statz as Json[])
      .find((s) => s.acc === "$G")!;
    expect([stat(natsd).sent.msgs, stat(natsd).received.bytes])
      .toEqual([stat(go).sent.msgs, stat(go).received.bytes]);
    const listed = (side: Side) => (side.docs.subsz_list.subscriptions_list as Json[])
      .map((s) => [s.subject, s.sid, s.msgs]);
    expect(listed(natsd)).toEqual(listed(go));
  });
});
