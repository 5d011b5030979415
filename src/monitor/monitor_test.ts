import { describe, expect, test } from "bun:test";
import { FakeSource } from "./fake_source.ts";
import { Monitor, type MonitorLog } from "./monitor.ts";

class CapturingLog implements MonitorLog {
  lines: string[] = [];
  info(message: string): void {
    this.lines.push(`INF ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`WRN ${message}`);
  }
  error(message: string): void {
    this.lines.push(`ERR ${message}`);
  }
}

function monitorOf(configure: (source: FakeSource) => void = () => {}) {
  const source = new FakeSource();
  configure(source);
  const log = new CapturingLog();
  const monitor = new Monitor(source, log);
  const get = (path: string) => monitor.handle(new Request(`http://monitor${path}`));
  const getJson = async (path: string) => {
    const response = get(path);
    expect(response.status).toBe(200);
    return JSON.parse(await response.text());
  };
  return { source, monitor, log, get, getJson };
}

/** nats-server 2.14's /varz fields, in order, as written for a plain server. */
const GO_VARZ_KEYS = [
  "server_id", "server_name", "version", "proto", "go", "host", "port", "max_connections",
  "ping_interval", "ping_max", "http_host", "http_port", "http_base_path", "https_port",
  "auth_timeout", "max_control_line", "max_payload", "max_pending", "cluster", "gateway", "leaf",
  "mqtt", "websocket", "jetstream", "tls_timeout", "write_deadline", "start", "now", "uptime",
  "mem", "cores", "gomaxprocs", "cpu", "connections", "total_connections", "routes", "remotes",
  "leafnodes", "in_msgs", "in_bytes", "in_client_msgs", "in_client_bytes", "out_msgs",
  "out_bytes", "out_client_msgs", "out_client_bytes", "slow_consumers", "stale_connections",
  "stalled_clients", "subscriptions", "http_req_stats", "config_load_time", "config_digest",
  "feature_flags", "slow_consumer_stats", "stale_connection_stats", "disk_io_wait_stats",
];

describe("routing", () => {
  test("the index is only at the base path; unknown paths get Go's 404", async () => {
    const { get } = monitorOf();
    const index = get("/");
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await index.text()).toContain('href="./connz"');
    for (const path of ["/nope", "/varz/", "/VARZ"]) {
      const response = get(path);
      expect(response.status).toBe(404);
      expect(await response.text()).toBe("404 page not found\n");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  test("unclean paths are redirected to their clean form, as Go's ServeMux does", async () => {
    const { get } = monitorOf();
    const response = get("//varz?x=1");
    expect(response.status).toBe(301);
    expect(response.headers.get("location")).toBe("/varz?x=1");
    expect(await response.text()).toBe('<a href="/varz?x=1">Moved Permanently</a>.\n\n');
  });

  test("http_base_path prefixes every endpoint, as nats-server normalises it", async () => {
    const { get } = monitorOf((s) => {
      s.options.httpBasePath = "nats/";
    });
    expect(get("/nats").status).toBe(200);
    expect(get("/nats/varz").status).toBe(200);
    expect(get("/nats/subscriptionsz").status).toBe(200);
    expect(get("/varz").status).toBe(404);
    expect(get("/nats/").status).toBe(404);
    expect(get("/").status).toBe(404);
  });
});

describe("response framing", () => {
  test("JSON carries CORS and Go's indentation", async () => {
    const { get } = monitorOf();
    const response = get("/routez");
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(await response.text()).toMatch(/^\{\n {2}"server_id": "NFAKESERVERID",\n/);
  });

  test("JSONP wraps the document for identifier callbacks", async () => {
    const { get } = monitorOf();
    const response = get("/healthz?callback=my.cb_1");
    expect(response.headers.get("content-type")).toBe("application/javascript");
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(await response.text()).toBe('my.cb_1({"status":"ok"})');
  });

  test("a callback that is not an identifier is ignored (no script injection)", async () => {
    const { get } = monitorOf();
    const response = get("/healthz?callback=alert(1)//");
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.text()).toBe('{"status":"ok"}');
  });

  test("bad parameters answer 400 with Go's text", async () => {
    const { get } = monitorOf();
    const response = get("/connz?limit=x");
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await response.text()).toBe(
      `Error decoding int for 'limit': strconv.Atoi: parsing "x": invalid syntax`,
    );
  });
});

describe("/varz", () => {
  test("fields in nats-server 2.14's order with Go types", async () => {
    const { getJson } = monitorOf();
    const varz = await getJson("/varz");
    expect(Object.keys(varz)).toEqual(GO_VARZ_KEYS);
    expect(varz.ping_interval).toBe(120_000_000_000);
    expect(varz.write_deadline).toBe(10_000_000_000);
    expect(varz.auth_timeout).toBe(2);
    expect(varz.start).toBe("2026-01-02T03:04:05.678Z");
    expect(varz.http_host).toBe("127.0.0.1");
    expect(varz.http_port).toBe(-1);
    expect(varz.feature_flags).toEqual({ js_ack_fc_v2: false, js_raft_delete_range: false });
    expect(varz.cluster).toEqual({});
    expect(varz.jetstream).toEqual({});
  });

  test("counters come from the server", async () => {
    const { getJson } = monitorOf((s) => {
      Object.assign(s.stats, {
        inMsgs: 3, inBytes: 30, outMsgs: 4, outBytes: 40, slowConsumers: 1,
      });
      s.subscribe(s.connect(1), "a", "1");
    });
    const varz = await getJson("/varz");
    expect([varz.in_msgs, varz.in_bytes, varz.out_msgs, varz.out_bytes]).toEqual([3, 30, 4, 40]);
    expect([varz.in_client_msgs, varz.out_client_bytes]).toEqual([3, 40]);
    expect(varz.slow_consumers).toBe(1);
    expect(varz.slow_consumer_stats).toEqual({ clients: 1, routes: 0, gateways: 0, leafs: 0 });
    expect([varz.connections, varz.total_connections, varz.subscriptions]).toEqual([1, 1, 1]);
  });

  test("auth_required and max_subscriptions appear only when set", async () => {
    const { getJson } = monitorOf((s) => {
      s.requireAuth();
      s.options.maxSubscriptions = 5;
    });
    const varz = await getJson("/varz");
    expect(varz.auth_required).toBe(true);
    expect(varz.max_subscriptions).toBe(5);
  });

  test("http_req_stats counts where nats-server counts", async () => {
    const { get, getJson } = monitorOf();
    get("/connz?limit=x"); // refused before counting
    get("/connz");
    get("/subsz?subs=x"); // counted before decoding
    get("/subscriptionsz"); // counted as /subsz
    get("/raftz");
    get("/ipqueuesz");
    get("/");
    get("/nope");
    const varz = await getJson("/varz");
    expect(varz.http_req_stats).toEqual({ "/": 1, "/connz": 1, "/subsz": 2, "/varz": 1 });
  });
});

describe("endpoints of features that are off", () => {
  test("routez, gatewayz, leafz", async () => {
    const { getJson } = monitorOf();
    expect(Object.keys(await getJson("/routez"))).toEqual([
      "server_id", "server_name", "now", "num_routes", "routes",
    ]);
    const gatewayz = await getJson("/gatewayz?accs=1");
    expect(gatewayz.outbound_gateways).toEqual({});
    expect(gatewayz.inbound_gateways).toEqual({});
    expect(await getJson("/leafz?subs=1")).toMatchObject({ leafnodes: 0, leafs: [] });
  });

  test("their parameters are still validated", () => {
    const { get } = monitorOf();
    for (const path of ["/routez?subs=x", "/gatewayz?accs=x", "/leafz?subs=x", "/jsz?config=x"]) {
      expect(get(path).status).toBe(400);
    }
  });

  test("jsz reports JetStream disabled; leader-only is refused", async () => {
    const { get, getJson } = monitorOf();
    const jsz = await getJson("/jsz?accounts=1&limit=3");
    expect(Object.keys(jsz)).toEqual([
      "memory", "storage", "reserved_memory", "reserved_storage", "accounts", "ha_assets", "api",
      "server_id", "now", "disabled", "config", "streams", "consumers", "messages", "bytes",
      "total",
    ]);
    expect(jsz.disabled).toBe(true);
    expect(jsz.api).toEqual({ level: 0, total: 0, errors: 0 });
    const refused = get("/jsz?leader-only=true");
    expect(refused.status).toBe(400);
    expect(await refused.text()).toBe("filtered response: not leader");
  });

  test("raftz: no groups; ipqueuesz: no queues", async () => {
    const { get } = monitorOf();
    const raftz = get("/raftz");
    expect(raftz.status).toBe(404);
    expect(await raftz.text()).toBe("No Raft nodes registered");
    expect(await get("/ipqueuesz?all=1").text()).toBe("{}");
  });
});

describe("/healthz", () => {
  test("ok without JetStream, compact JSON", async () => {
    const { get } = monitorOf();
    for (const query of ["", "?js-enabled-only=true", "?js-server-only=true"]) {
      const response = get(`/healthz${query}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('{"status":"ok"}');
    }
  });

  test("JetStream configured but not running is unavailable (503)", async () => {
    const { get, log } = monitorOf((s) => {
      s.options.jetstream = true;
    });
    const response = get("/healthz");
    expect(response.status).toBe(503);
    expect(await response.text()).toBe(
      '{"status":"unavailable","error":"JetStream not enabled (10076)"}',
    );
    expect(log.lines).toContain('WRN Healthcheck failed: "JetStream not enabled (10076)"');
    const details = get("/healthz?details=true");
    expect(await details.text()).toBe(
      '{"status":"error","errors":[{"type":"JETSTREAM","error":"JetStream not enabled (10076)"}]}',
    );
    expect(get("/healthz?js-server-only=1").status).toBe(200);
  });

  test("stream without account and consumer without stream are bad requests", async () => {
    const { get } = monitorOf();
    const stream = get("/healthz?stream=S");
    expect(stream.status).toBe(400);
    expect(await stream.text()).toBe(
      '{"status":"error","error":"\\"account\\" must not be empty when checking stream health"}',
    );
    const consumer = get("/healthz?account=A&consumer=C&details=1");
    expect(consumer.status).toBe(400);
    expect(JSON.parse(await consumer.text()).errors[0].type).toBe("BAD_REQUEST");
  });

  test("the deprecated js-enabled is logged", () => {
    const { get, log } = monitorOf();
    get("/healthz?js-enabled=true");
    expect(log.lines).toContain(
      "WRN Healthcheck: js-enabled deprecated, use js-enabled-only instead",
    );
  });
});

describe("/accountz and /accstatz", () => {
  test("account list and detail", async () => {
    const { get, getJson } = monitorOf((s) => {
      s.subscribe(s.connect(1), "x", "1");
    });
    expect((await getJson("/accountz")).accounts).toEqual(["$G"]);
    const detail = (await getJson("/accountz?acc=$G")).account_detail;
    expect(Object.keys(detail)).toEqual([
      "account_name", "update_time", "expired", "complete", "jetstream_enabled",
      "leafnode_connections", "client_connections", "subscriptions", "name_tag", "sublist_stats",
    ]);
    expect([detail.client_connections, detail.subscriptions]).toEqual([1, 1]);
    const missing = get("/accountz?acc=nope");
    expect(missing.status).toBe(400);
    expect(await missing.text()).toBe("Account nope does not exist");
  });

  test("accstatz sums open and closed connections of each account", async () => {
    const { source, getJson } = monitorOf();
    const a = source.connect(1, { inMsgs: 2, inBytes: 20, outMsgs: 1, outBytes: 5 });
    source.connect(2, { inMsgs: 1, inBytes: 7 });
    source.close(a, "Slow Consumer (Pending Bytes)");
    source.addAccount("IDLE");
    const stats = (await getJson("/accstatz")).account_statz;
    expect(stats).toHaveLength(1);
    expect(stats[0]).toMatchObject({
      acc: "$G", name: "$G", conns: 1, total_conns: 1, slow_consumers: 1,
      sent: { msgs: 1, bytes: 5 }, received: { msgs: 3, bytes: 27 },
    });
    const all = (await getJson("/accstatz?unused=1")).account_statz;
    expect(all.map((s: { acc: string }) => s.acc)).toEqual(["$G", "IDLE"]);
  });
});

describe("/dashboard", () => {
  test("a self-contained page polling varz and connz relatively", async () => {
    const { get } = monitorOf();
    const response = get("/dashboard");
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await response.text();
    expect(html).toContain('fetch("./varz"');
    expect(html).toContain('fetch("./connz?limit=100"');
    expect(html).not.toMatch(/src="http|href="http(?!s:\/\/docs)/);
    expect(html).toContain('id="v-connections"');
  });
});
