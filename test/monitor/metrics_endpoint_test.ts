/**
 * /metrics on a running natsd (Go has no such endpoint): valid Prometheus text whose numbers
 * equal /varz and /connz after a known workload.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { parseExposition } from "../../src/monitor/exposition_check.ts";
import { RawClient } from "../harness/raw_client.ts";
import { isGoServer, type RunningServer, startServer } from "../harness/server_process.ts";
import { get, getJson } from "./monitor_http.ts";

const RUN = !isGoServer();
let server: RunningServer;
let client: RawClient;

beforeAll(async () => {
  if (!RUN) return;
  server = await startServer({ args: ["-m", "-1"] });
  client = await RawClient.connect(server.port);
  await client.readInfo();
  client.send('CONNECT {"verbose":false,"name":"metrics"}\r\nSUB m.* 1\r\n' +
    "PUB m.a 3\r\nabc\r\nPUB m.b 4\r\nabcd\r\nPUB other 1\r\nz\r\n");
  await client.waitFor((text) => text.includes("abcd\r\n"));
});

afterAll(async () => {
  client?.close();
  await server?.stop();
});

test.skipIf(!RUN)("metrics parse and agree with varz after a workload", async () => {
  const reply = await get(server, "/metrics?connz_detailed=true");
  expect(reply.status).toBe(200);
  expect(reply.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  const families = parseExposition(reply.body);
  const varz = await getJson(server, "/varz");
  const value = (name: string, labels: Record<string, string> = {}) =>
    families.get(name)!.samples.find((s) =>
      Object.entries(labels).every(([k, v]) => s.labels[k] === v) &&
      (labels.cid !== undefined || s.labels.cid === undefined))!.value;
  for (const key of ["in_msgs", "in_bytes", "out_msgs", "out_bytes", "connections",
    "total_connections", "subscriptions", "max_payload"]) {
    expect([key, value(`gnatsd_varz_${key}`)]).toEqual([key, varz[key]]);
  }
  expect([value("gnatsd_varz_in_msgs"), value("gnatsd_varz_out_bytes")]).toEqual([3, 7]);
  expect(value("gnatsd_connz_num_connections")).toBe(1);
  // The system account's internal client takes an id first, as in nats-server.
  const cid = String((await getJson(server, "/connz")).connections[0].cid);
  expect(value("gnatsd_connz_in_bytes", { cid, name: "metrics" })).toBe(8);
  expect(value("gnatsd_accstatz_sent_messages", { account: "$G" })).toBe(2);
  // Counts the system account's service subscriptions too, as /varz does.
  expect(value("gnatsd_subsz_num_subscriptions")).toBe(varz.subscriptions);
  for (const family of families.values()) expect(family.samples.length).toBeGreaterThan(0);
});
