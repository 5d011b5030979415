/**
 * `http_base_path` and `http: host:port` from a config file, against natsd or Go nats-server:
 * every endpoint moves under the normalised base path and the index answers only at the base.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type RunningServer, startServer } from "../harness/server_process.ts";
import { get, getJson } from "./monitor_http.ts";

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ config: `http_base_path: "nats/"\nhttp: "127.0.0.1:-1"\n` });
});
afterAll(async () => {
  await server.stop();
});

test("endpoints live under the base path only", async () => {
  const status = async (path: string) => (await get(server, path)).status;
  expect(await status("/nats")).toBe(200);
  expect(await status("/nats/varz")).toBe(200);
  expect(await status("/nats/connz")).toBe(200);
  expect(await status("/nats/subscriptionsz")).toBe(200);
  expect(await status("/nats/")).toBe(404);
  expect(await status("/varz")).toBe(404);
  expect(await status("/")).toBe(404);
});

test("varz reports the configured base path and monitoring host as written", async () => {
  const varz = await getJson(server, "/nats/varz");
  expect(varz.http_base_path).toBe("nats/");
  expect(varz.http_host).toBe("127.0.0.1");
  expect(varz.http_port).toBe(-1);
  expect(varz.http_req_stats["/varz"]).toBe(2); // this request and the first test's
});
