/**
 * Core NATS through the official JavaScript client (@nats-io/transport-node): pub/sub,
 * wildcards, queue groups, request/reply, headers, no responders, auto-unsubscribe, drain.
 * Runs against natsd by default, or any server named by NATS_SERVER.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { headers as natsHeaders, errors } from "@nats-io/nats-core";
import { type RunningServer, startServer } from "../harness/server_process.ts";

let server: RunningServer;
const connections: NatsConnection[] = [];

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  for (const nc of connections) await nc.close().catch(() => {});
  await server.stop();
});

async function client(): Promise<NatsConnection> {
  const nc = await connect({ servers: server.url });
  connections.push(nc);
  return nc;
}

const text = (data: Uint8Array) => new TextDecoder().decode(data);

describe("official client", () => {
  test("connects and sees the server's identity", async () => {
    const nc = await client();
    expect(nc.info?.server_id).toMatch(/^N/);
    expect(nc.info?.proto).toBe(1);
    expect(nc.info?.headers).toBe(true);
  });

  test("publishes and subscribes with wildcards", async () => {
    const nc = await client();
    const sub = nc.subscribe("orders.*.created", { max: 3 });
    await nc.flush();
    for (const id of ["1", "2", "3"]) nc.publish(`orders.${id}.created`, `order ${id}`);
    nc.publish("orders.4.deleted", "not for us");
    const got: string[] = [];
    for await (const msg of sub) got.push(`${msg.subject}=${text(msg.data)}`);
    expect(got).toEqual([
      "orders.1.created=order 1", "orders.2.created=order 2", "orders.3.created=order 3",
    ]);
  });

  test("request/reply round trips, with headers", async () => {
    const responder = await client();
    responder.subscribe("svc.echo", {
      callback: (_err, msg) => {
        const h = natsHeaders();
        h.set("X-Echo", msg.headers?.get("X-In") ?? "none");
        msg.respond(msg.data, { headers: h });
      },
    });
    await responder.flush();
    const requester = await client();
    const h = natsHeaders();
    h.set("X-In", "abc");
    const reply = await requester.request("svc.echo", "ping", { timeout: 5000, headers: h });
    expect(text(reply.data)).toBe("ping");
    expect(reply.headers?.get("X-Echo")).toBe("abc");
  });

  test("a request with no responders fails fast with NoRespondersError", async () => {
    const nc = await client();
    let caught: unknown;
    try {
      await nc.request("nobody.listens.here", "x", { timeout: 5000 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(errors.RequestError);
    expect((caught as InstanceType<typeof errors.RequestError>).isNoResponders()).toBe(true);
  });

  test("queue subscribers share the work", async () => {
    const workers = [await client(), await client()];
    const counts = [0, 0];
    workers.forEach((nc, i) => nc.subscribe("jobs", { queue: "workers", callback: () => { counts[i]++; } }));
    await Promise.all(workers.map((nc) => nc.flush()));
    const producer = await client();
    for (let i = 0; i < 200; i++) producer.publish("jobs", String(i));
    await producer.flush();
    await Promise.all(workers.map((nc) => nc.flush()));
    expect(counts[0] + counts[1]).toBe(200);
  });

  test("large payloads arrive intact", async () => {
    const nc = await client();
    const payload = new Uint8Array(900 * 1024).map((_, i) => i % 251);
    const sub = nc.subscribe("big", { max: 1 });
    await nc.flush();
    nc.publish("big", payload);
    for await (const msg of sub) expect(Buffer.compare(msg.data, payload)).toBe(0);
  });

  test("drain delivers pending messages then closes", async () => {
    const nc = await connect({ servers: server.url });
    let received = 0;
    nc.subscribe("drain.me", { callback: () => { received++; } });
    await nc.flush();
    const pub = await client();
    for (let i = 0; i < 100; i++) pub.publish("drain.me");
    await pub.flush();
    await nc.drain();
    expect(received).toBe(100);
    expect(nc.isClosed()).toBe(true);
  });
});
