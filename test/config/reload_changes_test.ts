/**
 * What a reload changes in a running server, seen from the outside: INFO and limits for
 * clients, debug and trace output, ping timers, max_connections and the pid file; and what a
 * refused or bad reload leaves alone. Waits on log lines and protocol events, never on time.
 * Runs against natsd, or any server named by NATS_SERVER (the texts checked are nats-server's).
 */
import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RawClient } from "../harness/raw_client.ts";
import { type RunningServer, startServer } from "../harness/server_process.ts";
import { type SpawnedServer, spawnServer, waitForFile } from "./reload_process.ts";

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function server(config: string): Promise<RunningServer> {
  const s = await startServer({ config });
  cleanup.push(() => s.stop());
  return s;
}

async function rawClient(port: number, connect = "{}"): Promise<RawClient> {
  const c = await RawClient.connect(port);
  cleanup.push(() => c.close());
  await c.readInfo();
  c.send(`CONNECT ${connect}\r\n`);
  await c.flush();
  return c;
}

async function reload(s: RunningServer, config: string, done: RegExp): Promise<string> {
  await Bun.write(join(s.dir, "server.conf"), config);
  s.signal("SIGHUP");
  return s.waitForLog(done);
}

const errLine = /^-ERR '([^']*)'/m;

describe("reload applies", () => {
  test("max_payload: INFO for new clients, the limit for connected ones", async () => {
    const s = await server("max_payload: 4096\n");
    const before = await rawClient(s.port);
    await reload(s, "max_payload: 2048\n", /Reloaded: max_payload = 2048$/);
    const fresh = await RawClient.connect(s.port);
    cleanup.push(() => fresh.close());
    expect((await fresh.readInfo()).max_payload).toBe(2048);
    // The connected client is held to the new limit too (nats-server updates every client).
    before.send(`PUB big 3000\r\n${"x".repeat(3000)}\r\n`);
    const text = await before.waitClosed();
    expect(errLine.exec(text)?.[1]).toBe("Maximum Payload Violation");
  });

  test("trace and debug are switched on and off", async () => {
    const s = await server("trace: false\n");
    const c = await rawClient(s.port);
    c.send("PUB before.on 2\r\nhi\r\n");
    await c.flush();
    await reload(s, "trace: true\ndebug: true\n", /Reloaded: debug = true$/);
    c.send("PUB now.on 2\r\nhi\r\n");
    await c.flush();
    await s.waitForLog(/<<- \[PUB now\.on 2\]/);
    await reload(s, "trace: false\ndebug: true\n", /Reloaded: trace = false$/);
    c.send("PUB now.off 2\r\nhi\r\n");
    await c.flush();
    // Debug still on: a closing client is logged. Output is in order, so once that line is
    // seen, a trace of now.off would have been seen before it.
    const other = await rawClient(s.port);
    other.close();
    await s.waitForLog(/cid:\d+ - Client connection closed/);
    expect(s.log()).not.toMatch(/PUB before\.on/);
    expect(s.log()).not.toMatch(/PUB now\.off/);
  });

  test("max_traced_msg_len cuts traced payloads, and the reload lifts the cut", async () => {
    const s = await server("trace: true\nmax_traced_msg_len: 5\n");
    const c = await rawClient(s.port);
    c.send("PUB cut 11\r\nhello world\r\n");
    await c.flush();
    await s.waitForLog(/MSG_PAYLOAD: \["hello\.\.\."\]/);
    await reload(s, "trace: true\nmax_traced_msg_len: 0\n", /Reloaded: max_traced_msg_len = 0$/);
    c.send("PUB whole 11\r\nhello there\r\n");
    await c.flush();
    await s.waitForLog(/MSG_PAYLOAD: \["hello there"\]/);
  });

  test("ping_interval applies to the timers of new clients", async () => {
    const s = await server("ping_interval: \"2m\"\n");
    await reload(s, "ping_interval: \"50ms\"\n", /Reloaded: ping_interval = 50ms$/);
    const c = await rawClient(s.port);
    // Without the reload the first PING would come after two seconds, then every two minutes.
    await c.waitFor((text) => text.includes("PING\r\n"));
    c.send("PONG\r\n");
  });

  test("a lower max_connections closes the clients over it", async () => {
    const s = await server("max_connections: 10\n");
    const clients = [];
    for (let i = 0; i < 3; i++) clients.push(await rawClient(s.port));
    await reload(s, "max_connections: 1\n", /Reloaded: max_connections = 1$/);
    await s.waitForLog(/Closed 2 connections to fall within max_connections/);
    // Which ones is the server's choice (nats-server: random; natsd: the newest). A closed
    // client got the -ERR before the close, an open one answers PING.
    const outcome = async (c: RawClient) => {
      try {
        c.send("PING\r\n");
      } catch {
        // Already closed: its -ERR is in the buffer.
      }
      const text = await c.waitFor((t) => t.includes("PONG\r\n") || t.includes("-ERR"))
        .catch(() => c.buffered);
      return errLine.exec(text)?.[1] ?? (text.includes("PONG") ? "open" : text);
    };
    const outcomes = await Promise.all(clients.map(outcome));
    expect(outcomes.sort()).toEqual(
      ["maximum connections exceeded", "maximum connections exceeded", "open"]);
  });

  test("a new pidfile is written", async () => {
    const s = await server("");
    const path = join(s.dir, "new.pid");
    await reload(s, `pidfile: "${path}"\n`, /Reloaded: pid_file = /);
    const pid = await waitForFile(s.dir, (name) => (name === "new.pid" ?
      readFileSync(path, "utf8") || null : null));
    expect(pid).toBe(String(s.pid));
  });
});

describe("reload refuses", () => {
  test("a bad file changes nothing", async () => {
    const s = await server("max_payload: 4096\n");
    await reload(s, "max_payload: 2048\nfoo bar baz {\n", /Failed to reload server configuration:/);
    const c = await RawClient.connect(s.port);
    cleanup.push(() => c.close());
    expect((await c.readInfo()).max_payload).toBe(4096);
    expect(s.log()).not.toContain("Reloaded: max_payload");
    // Still serving.
    c.send("CONNECT {}\r\nPUB x 1\r\nx\r\n");
    await c.flush();
  });

  test("a port change is refused with nats-server's error; nothing else changes", async () => {
    const s: SpawnedServer =
      await spawnServer({ config: "host: 127.0.0.1\nport: -1\nmax_payload: 4096\n" });
    cleanup.push(() => s.stop());
    s.writeConfig("host: 127.0.0.1\nport: 1\nmax_payload: 2048\n");
    s.signal("SIGHUP");
    const line = await s.waitForOutput(/Failed to reload server configuration/);
    expect(line).toEndWith(
      `Failed to reload server configuration: config reload not supported for Port: ` +
      `old=${s.port}, new=1`);
    const c = await RawClient.connect(s.port);
    cleanup.push(() => c.close());
    expect((await c.readInfo()).max_payload).toBe(4096);
  });

  test("settings nats-server cannot reload name the field (first in its order)", async () => {
    const s = await server("");
    await reload(s, "logfile_size_limit: 1000\nmax_pending: 100000000\n", /Failed to reload/);
    expect(s.log()).toMatch(new RegExp("Failed to reload server configuration: " +
      "config reload not supported for MaxPending: old=67108864, new=100000000$", "m"));
  });
});
