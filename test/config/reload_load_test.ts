/**
 * Reload under load: publishers and subscribers on the official client exchange messages
 * while several SIGHUPs change reloadable settings. Every client keeps its connection (no
 * disconnect or reconnect status event, the same client id) and every message arrives exactly
 * once, at each plain subscriber and once across a queue group.
 * Runs against natsd, or any server named by NATS_SERVER.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { type RunningServer, startServer } from "../harness/server_process.ts";

const PUBLISHERS = 3;
const BATCHES = 20;
const BATCH_MESSAGES = 400;
const RELOAD_EVERY_BATCHES = 2;
const MESSAGES_PER_PUBLISHER = BATCHES * BATCH_MESSAGES;

/** Each reload changes several reloadable settings; max_payload makes its log line unique. */
function config(reload: number): string {
  return [
    `max_payload: ${1024 * 1024 + reload}`,
    `debug: ${reload % 2 === 1}`,
    `ping_interval: "${60 + reload}s"`,
    `write_deadline: "${10 + reload}s"`,
    `max_connections: ${1000 + reload}`,
    `max_control_line: ${4096 + reload}`,
    "",
  ].join("\n");
}

let server: RunningServer;
const connections: NatsConnection[] = [];

beforeAll(async () => {
  server = await startServer({ config: config(0) });
});
afterAll(async () => {
  for (const nc of connections) await nc.close().catch(() => {});
  await server.stop();
});

/** A connection whose status events are recorded. */
async function client(name: string) {
  const nc = await connect({ servers: server.url, name, reconnect: true });
  connections.push(nc);
  const events: string[] = [];
  (async () => {
    for await (const status of nc.status()) events.push(status.type);
  })();
  return { nc, events, clientId: nc.info?.client_id };
}

let reloads = 0;
async function reload(): Promise<void> {
  reloads++;
  await Bun.write(join(server.dir, "server.conf"), config(reloads));
  server.signal("SIGHUP");
  await server.waitForLog(new RegExp(`Reloaded: max_payload = ${1024 * 1024 + reloads}$`));
}


test("SIGHUPs under load keep every connection and lose no message", async () => {
  const plain = await client("plain");
  const queueA = await client("queue-a");
  const queueB = await client("queue-b");
  const seenPlain = new Map<string, number>();
  const seenQueue = new Map<string, number>();
  const count = (seen: Map<string, number>) => (_err: unknown, msg: { string(): string }) => {
    const id = msg.string();
    seen.set(id, (seen.get(id) ?? 0) + 1);
  };
  plain.nc.subscribe("load.>", { callback: count(seenPlain) });
  queueA.nc.subscribe("load.>", { queue: "workers", callback: count(seenQueue) });
  queueB.nc.subscribe("load.>", { queue: "workers", callback: count(seenQueue) });
  for (const c of [plain, queueA, queueB]) await c.nc.flush();

  const publishers = await Promise.all(
    Array.from({ length: PUBLISHERS }, (_, p) => client(`pub-${p}`)));
  const publish = async (p: number) => {
    const { nc } = publishers[p];
    for (let batch = 0; batch < BATCHES; batch++) {
      for (let i = 0; i < BATCH_MESSAGES; i++) {
        nc.publish(`load.${p}`, `${p}:${batch * BATCH_MESSAGES + i}`);
      }
      await nc.flush();
      // One publisher drives the reloads, while the others keep publishing.
      if (p === 0 && batch % RELOAD_EVERY_BATCHES === 1) await reload();
    }
  };
  await Promise.all(publishers.map((_, p) => publish(p)));
  // A subscriber's PONG follows every message the server routed to it before the PING.
  for (const c of [plain, queueA, queueB]) await c.nc.flush();

  expect(reloads).toBe(Math.ceil((BATCHES - 1) / RELOAD_EVERY_BATCHES));
  const total = PUBLISHERS * MESSAGES_PER_PUBLISHER;
  expect(seenPlain.size).toBe(total);
  expect(seenQueue.size).toBe(total);
  expect([...seenPlain.values()].every((n) => n === 1)).toBe(true);
  expect([...seenQueue.values()].every((n) => n === 1)).toBe(true);
  for (const c of [plain, queueA, queueB, ...publishers]) {
    expect(c.events.filter((e) => e === "disconnect" || e === "reconnect")).toEqual([]);
    expect(c.nc.info?.client_id).toBe(c.clientId);
    expect(c.nc.isClosed()).toBe(false);
  }
  // Each reload was applied in full.
  expect(server.log()).toContain(`Reloaded: max_payload = ${1024 * 1024 + reloads}`);
  expect(server.log()).not.toContain("Failed to reload");
});
