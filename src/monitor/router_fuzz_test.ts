/**
 * Bounded fuzzing of request handling: random endpoints with random parameter names and values
 * (valid words, numbers at the edges, garbage, escapes) must always answer 200, 301, 400, 404 or
 * 503 with a body, never throw.
 */
import { expect, test } from "bun:test";
import { FakeSource } from "./fake_source.ts";
import { Monitor } from "./monitor.ts";

const ITERATIONS = 3000;
const PATHS = [
  "/", "/varz", "/connz", "/routez", "/gatewayz", "/leafz", "/subsz", "/subscriptionsz",
  "/accountz", "/accstatz", "/jsz", "/healthz", "/raftz", "/ipqueuesz", "/metrics",
  "/dashboard", "/nope", "//varz", "/varz/",
];
const NAMES = [
  "sort", "auth", "subs", "offset", "limit", "cid", "state", "user", "acc", "mqtt_client", "test",
  "unused", "accounts", "streams", "consumers", "config", "leader-only", "raft", "js-enabled",
  "js-enabled-only", "js-server-only", "details", "account", "stream", "consumer", "callback",
  "accs", "gw_name", "connz_detailed", "all",
];
const VALUES = [
  "", "1", "0", "true", "false", "detail", "DETAIL", "cid", "start", "subs", "pending", "msgs_to",
  "stop", "reason", "rtt", "idle", "uptime", "open", "closed", "any", "all", "-1", "9",
  "99999999999999999999", "18446744073709551616", "1.5", "x", "foo", "foo.*", "foo.>", "$G",
  "%00", "%ff", "<script>", "a.b", "cb", "+1",
];

/** A deterministic generator so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

test("random requests never crash the monitor", async () => {
  const source = new FakeSource();
  const client = source.connect(1, { connect: { name: "n", user: "u" } });
  source.subscribe(client, "foo.*", "1", "q");
  source.close(source.connect(2), "Client Closed");
  const monitor = new Monitor(source, { info() {}, warn() {}, error() {} });
  const next = random(42);
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
  for (let i = 0; i < ITERATIONS; i++) {
    const params = Array.from({ length: Math.floor(next() * 4) },
      () => `${pick(NAMES)}=${pick(VALUES)}`).join("&");
    const response = monitor.handle(new Request(`http://m${pick(PATHS)}?${params}`));
    expect([200, 301, 400, 404, 503]).toContain(response.status);
    expect((await response.text()).length).toBeGreaterThan(0);
  }
});
