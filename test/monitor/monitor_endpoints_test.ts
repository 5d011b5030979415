/**
 * Monitoring endpoints after a known workload, against natsd or Go nats-server
 * (NATS_SERVER=nats-server). Counters are compared as deltas from a baseline because Go runs
 * internal system-account subscriptions that natsd does not have yet. Branches on isGoServer()
 * mark documented differences between Go 2.9.10 (the installed reference) and the 2.14
 * behaviour natsd implements.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { RawClient } from "../harness/raw_client.ts";
import { isGoServer, type RunningServer, startServer } from "../harness/server_process.ts";
import {
  connectionNamed, get, getJson, getJsonWhen, isRfc3339, type Json,
} from "./monitor_http.ts";

const GO = isGoServer();
let server: RunningServer;
let baseline: Json;
let subber: RawClient;
let pubber: RawClient;

const CONNECT = (name: string, extra = "") =>
  `CONNECT {"verbose":false,"pedantic":false,"protocol":1,"name":"${name}"${extra}}\r\n`;

/** Subscriber with two subscriptions; publisher sends 3 messages (10 bytes), 2 delivered. */
async function workload(): Promise<void> {
  subber = await RawClient.connect(server.port);
  await subber.readInfo();
  subber.send(CONNECT("subber", ',"lang":"raw","version":"1.2.3"') +
    "SUB foo 1\r\nSUB bar.* q1 2\r\nUNSUB 2 5\r\n");
  await subber.flush();
  pubber = await RawClient.connect(server.port);
  await pubber.readInfo();
  pubber.send(CONNECT("pubber") +
    "PUB foo 5\r\nhello\r\nPUB bar.x 3\r\nabc\r\nPUB none 2\r\nzz\r\n");
  await pubber.flush();
  await subber.waitFor((text) => text.includes("abc\r\n"));
}

beforeAll(async () => {
  server = await startServer({ args: ["-m", "-1"] });
  baseline = await getJson(server, "/varz");
  await workload();
});

afterAll(async () => {
  subber?.close();
  pubber?.close();
  await server.stop();
});

describe("monitoring port", () => {
  test("the ports file names the monitoring URL and the log announces it", async () => {
    const url = new URL(server.monitorUrl!);
    expect(url.protocol).toBe("http:");
    expect(url.hostname).toBe("127.0.0.1");
    const line = await server.waitForLog(/Starting http monitor on /);
    expect(line).toContain(`Starting http monitor on 127.0.0.1:${url.port}`);
  });
});

describe("/varz", () => {
  test("counters after the workload are exact", async () => {
    const varz = await getJson(server, "/varz");
    const delta = (key: string) => varz[key] - baseline[key];
    expect(delta("connections")).toBe(2);
    expect(delta("total_connections")).toBe(2);
    expect(delta("in_msgs")).toBe(3);
    expect(delta("in_bytes")).toBe(10);
    expect(delta("out_msgs")).toBe(2);
    expect(delta("out_bytes")).toBe(8);
    expect(delta("subscriptions")).toBe(2);
    expect(varz.slow_consumers).toBe(0);
  });

  test("identity, configuration and runtime fields have Go's types", async () => {
    const varz = await getJson(server, "/varz");
    expect(varz.server_id).toMatch(/^N[A-Z0-9]{55}$/);
    expect(varz.port).toBe(server.port);
    expect(varz.host).toBe("127.0.0.1");
    expect(varz.http_host).toBe("127.0.0.1");
    expect(varz.http_port).toBe(-1);
    expect(varz.http_base_path).toBe("");
    expect(varz.max_payload).toBe(1024 * 1024);
    expect(varz.ping_interval).toBe(120_000_000_000);
    expect(varz.write_deadline).toBe(10_000_000_000);
    expect(varz.auth_timeout).toBe(2);
    for (const key of ["start", "now", "config_load_time"]) expect(isRfc3339(varz[key])).toBe(true);
    expect(varz.uptime).toMatch(/^(\d+[ydhm])*\d+s$/);
    expect(Number.isInteger(varz.mem) && varz.mem > 0).toBe(true);
    expect(typeof varz.cpu).toBe("number");
    expect(Number.isInteger(varz.cores)).toBe(true);
    for (const key of ["cluster", "gateway", "leaf", "mqtt", "websocket", "jetstream"]) {
      expect(varz[key]).toEqual({});
    }
    expect(varz.http_req_stats["/varz"]).toBeGreaterThanOrEqual(2);
  });

  test("field order: shared fields in Go's order; 2.14 fields present in natsd", async () => {
    const keys = Object.keys(await getJson(server, "/varz"));
    const shared = [
      "server_id", "server_name", "version", "proto", "go", "host", "port", "max_connections",
      "ping_interval", "ping_max", "http_host", "http_port", "http_base_path", "https_port",
      "auth_timeout", "max_control_line", "max_payload", "max_pending", "cluster", "gateway",
      "leaf", "mqtt", "websocket", "jetstream", "tls_timeout", "write_deadline", "start", "now",
      "uptime", "mem", "cores", "gomaxprocs", "cpu", "connections", "total_connections",
      "routes", "remotes", "leafnodes", "in_msgs", "slow_consumers", "subscriptions",
      "http_req_stats", "config_load_time",
    ];
    expect(keys.filter((key) => shared.includes(key))).toEqual(shared);
    if (!GO) {
      // Added after 2.9.10: split client counters, stale/stalled stats, digest, feature flags.
      for (const key of ["in_client_msgs", "out_client_bytes", "stale_connections",
        "stalled_clients", "config_digest", "feature_flags", "slow_consumer_stats",
        "stale_connection_stats", "disk_io_wait_stats"]) {
        expect(keys).toContain(key);
      }
    }
  });
});

describe("/connz", () => {
  test("each connection's identity and exact counters", async () => {
    const connz = await getJson(server, "/connz");
    expect(connz.num_connections).toBe(2);
    expect(connz.total).toBe(2);
    expect([connz.offset, connz.limit]).toEqual([0, 1024]);
    const sub = connectionNamed(connz, "subber");
    expect(sub).toMatchObject({
      kind: "Client", type: "nats", ip: "127.0.0.1", lang: "raw", version: "1.2.3",
      subscriptions: 2, in_msgs: 0, in_bytes: 0, out_msgs: 2, out_bytes: 8, pending_bytes: 0,
    });
    const pub = connectionNamed(connz, "pubber");
    expect(pub).toMatchObject({ in_msgs: 3, in_bytes: 10, out_msgs: 0, subscriptions: 0 });
    expect(pub.lang).toBeUndefined();
    for (const key of ["start", "last_activity"]) expect(isRfc3339(sub[key])).toBe(true);
    expect(sub.uptime).toMatch(/^\d+s$/);
    expect(typeof sub.rtt).toBe("string");
    expect(Object.keys(sub).slice(0, 7)).toEqual([
      "cid", "kind", "type", "ip", "port", "start", "last_activity",
    ]);
  });

  test("subs=1 and subs=detail", async () => {
    const list = connectionNamed(await getJson(server, "/connz?subs=1"), "subber");
    expect([...list.subscriptions_list].sort()).toEqual(["bar.*", "foo"]);
    const detail = connectionNamed(await getJson(server, "/connz?subs=detail"), "subber");
    const bySid = Object.fromEntries(
      (detail.subscriptions_list_detail as Json[]).map((d) => [d.sid, d]),
    );
    expect(bySid["1"]).toEqual({ subject: "foo", sid: "1", msgs: 1, cid: detail.cid });
    expect(bySid["2"]).toEqual({
      subject: "bar.*", qgroup: "q1", sid: "2", msgs: 1, max: 5, cid: detail.cid,
    });
  });

  test("sort keys order the connections", async () => {
    const names = async (sort: string) =>
      ((await getJson(server, `/connz?sort=${sort}`)).connections as Json[]).map((c) => c.name);
    expect(await names("msgs_to")).toEqual(["subber", "pubber"]);
    expect(await names("bytes_to")).toEqual(["subber", "pubber"]);
    expect(await names("msgs_from")).toEqual(["pubber", "subber"]);
    expect(await names("bytes_from")).toEqual(["pubber", "subber"]);
    expect(await names("subs")).toEqual(["subber", "pubber"]);
    expect(await names("cid")).toEqual(["subber", "pubber"]);
    expect(await names("start")).toEqual(["subber", "pubber"]);
    expect(await names("uptime")).toEqual(["pubber", "subber"]);
  });

  test("limit, offset and cid", async () => {
    const page = await getJson(server, "/connz?sort=msgs_from&limit=1&offset=1");
    expect([page.num_connections, page.total, page.offset, page.limit]).toEqual([1, 2, 1, 1]);
    expect(page.connections[0].name).toBe("subber");
    const subberCid = connectionNamed(await getJson(server, "/connz"), "subber").cid;
    const one = await getJson(server, `/connz?cid=${subberCid}`);
    expect(one.connections.map((c: Json) => c.name)).toEqual(["subber"]);
    expect(one.limit).toBe(1);
  });

  test("an unknown account answers an empty, id-less document", async () => {
    const connz = await getJson(server, "/connz?acc=nope");
    expect(connz).toMatchObject({ server_id: "", num_connections: 0, total: 0, connections: null });
  });
});

describe("/subsz", () => {
  test("test= lists the subscriptions a publish would reach", async () => {
    const subsz = await getJson(server, "/subsz?subs=1&test=bar.x");
    expect(subsz.total).toBe(1);
    expect(subsz.subscriptions_list[0]).toMatchObject({
      account: "$G", subject: "bar.*", qgroup: "q1", sid: "2", msgs: 1, max: 5,
    });
    expect(subsz.num_subscriptions - baseline.subscriptions).toBe(2);
    expect(typeof subsz.cache_hit_rate).toBe("number");
  });

  test("without subs: stats only (2.9.10 omits the header fields)", async () => {
    const subsz = await getJson(server, "/subscriptionsz");
    expect(subsz.num_subscriptions - baseline.subscriptions).toBe(2);
    expect(subsz.subscriptions_list).toBeUndefined();
    if (!GO) {
      expect(Object.keys(subsz).slice(0, 3)).toEqual(["server_id", "now", "num_subscriptions"]);
    }
  });
});

describe("/accstatz and /accountz", () => {
  test("the global account's traffic", async () => {
    const stats = (await getJson(server, "/accstatz")).account_statz as Json[];
    const global = stats.find((s) => s.acc === "$G")!;
    expect(global).toMatchObject({
      conns: 2, leafnodes: 0, total_conns: 2, slow_consumers: 0,
      sent: { msgs: 2, bytes: 8 }, received: { msgs: 3, bytes: 10 },
    });
  });

  test("account list and detail", async () => {
    expect((await getJson(server, "/accountz")).accounts).toContain("$G");
    const detail = (await getJson(server, "/accountz?acc=$G")).account_detail;
    expect(detail).toMatchObject({
      account_name: "$G", expired: false, complete: true, jetstream_enabled: false,
      client_connections: 2,
    });
    expect(isRfc3339(detail.update_time)).toBe(true);
    expect(typeof detail.sublist_stats.num_subscriptions).toBe("number");
  });
});

describe("features that are off", () => {
  test("routez, gatewayz, leafz, jsz, healthz", async () => {
    expect(await getJson(server, "/routez")).toMatchObject({ num_routes: 0, routes: [] });
    expect(await getJson(server, "/gatewayz")).toMatchObject({
      outbound_gateways: {}, inbound_gateways: {},
    });
    const leafz = await getJson(server, "/leafz");
    expect(leafz.leafnodes).toBe(0);
    expect(leafz.leafs).toEqual(GO ? null : []); // 2.14 writes an empty list
    const jsz = await getJson(server, "/jsz");
    expect(jsz).toMatchObject({ disabled: true, streams: 0, consumers: 0, messages: 0, bytes: 0 });
    expect(jsz.config).toEqual({ max_memory: 0, max_storage: 0 });
    for (const query of ["", "?js-enabled-only=true", "?js-server-only=true"]) {
      const health = await get(server, `/healthz${query}`);
      expect([health.status, health.body]).toEqual([200, '{"status":"ok"}']);
    }
  });
});

describe("closed connections", () => {
  test("state=closed reports Go's reason and the final counters", async () => {
    const pubCid = connectionNamed(await getJson(server, "/connz"), "pubber").cid;
    pubber.close();
    const closed = await getJsonWhen(server, "/connz?state=closed",
      (doc) => (doc.connections as Json[]).some((c) => c.cid === pubCid));
    const info = (closed.connections as Json[]).find((c) => c.cid === pubCid)!;
    expect(info).toMatchObject({
      name: "pubber", reason: "Client Closed", in_msgs: 3, in_bytes: 10,
    });
    expect(isRfc3339(info.stop)).toBe(true);
    const all = await getJson(server, "/connz?state=all");
    expect((all.connections as Json[]).map((c) => c.name)).toEqual(["subber", "pubber"]);
    const byStop = await getJson(server, "/connz?state=closed&sort=stop");
    expect(byStop.connections[0].cid).toBe(pubCid);
  });
});
