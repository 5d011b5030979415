/**
 * Limits from the config file with nats-server's behaviour: max_connections,
 * max_subscriptions, max_payload, max_control_line, ping_interval/ping_max (stale
 * connections) and max_pending (slow consumers are closed without delaying others).
 * Runs against natsd by default, or any server named by NATS_SERVER.
 */
import { describe, expect, test } from "bun:test";
import { Socket } from "node:net";
import { RawClient } from "../harness/raw_client.ts";
import { startServer } from "../harness/server_process.ts";

async function connected(port: number, connectJson = '{"verbose":false,"pedantic":false}') {
  const client = await RawClient.connect(port);
  await client.readInfo();
  client.send(`CONNECT ${connectJson}\r\n`);
  return client;
}

describe("limits", () => {
  test("max_connections: the next client gets INFO then -ERR and is closed", async () => {
    const server = await startServer({ config: "max_connections: 1\n" });
    try {
      const first = await connected(server.port);
      await first.flush();
      const second = await RawClient.connect(server.port);
      const received = await second.waitClosed();
      expect(received).toMatch(/^INFO \{.*\} \r\n-ERR 'maximum connections exceeded'\r\n$/);
      first.send("PING\r\n");
      await first.expect("PONG\r\n");
      first.close();
    } finally {
      await server.stop();
    }
  });

  test("max_subscriptions: the extra SUB is refused and the connection stays open", async () => {
    const server = await startServer({ config: "max_subscriptions: 2\n" });
    try {
      const client = await connected(server.port);
      client.send("SUB a 1\r\nSUB b 2\r\nSUB c 3\r\nPUB c 1\r\nx\r\nPUB a 1\r\ny\r\n");
      expect(await client.flush()).toBe("-ERR 'maximum subscriptions exceeded'\r\nMSG a 1 1\r\ny\r\n");
      client.close();
    } finally {
      await server.stop();
    }
  });

  test("max_payload from the config is announced in INFO and enforced", async () => {
    const server = await startServer({ config: "max_payload: 100\n" });
    try {
      const client = await RawClient.connect(server.port);
      expect((await client.readInfo()).max_payload).toBe(100);
      client.send('CONNECT {"verbose":false}\r\nPUB a 100\r\n' + "x".repeat(100) + "\r\n");
      await client.flush();
      client.send("PUB a 101\r\n");
      expect(await client.waitClosed()).toBe("-ERR 'Maximum Payload Violation'\r\n");
    } finally {
      await server.stop();
    }
  });

  test("max_control_line from the config is enforced", async () => {
    const server = await startServer({ config: "max_control_line: 64\n" });
    try {
      const client = await connected(server.port);
      client.send(`SUB ${"a".repeat(40)} 1\r\n`);
      expect(await client.flush()).toBe("");
      client.send(`SUB ${"a".repeat(80)} 2\r\n`);
      expect(await client.waitClosed()).toBe("-ERR 'maximum control line exceeded'\r\n");
    } finally {
      await server.stop();
    }
  });

  test("ping_interval/ping_max: a client that never answers PING is closed as stale", async () => {
    const server = await startServer({ config: 'ping_interval: "100ms"\nping_max: 1\n' });
    try {
      const client = await connected(server.port);
      // The server pings; this client never answers, so it is declared stale.
      const received = await client.waitClosed();
      expect(received).toMatch(/^(PING\r\n)+-ERR 'Stale Connection'\r\n$/);
    } finally {
      await server.stop();
    }
  });

  test("a client answering PINGs stays connected", async () => {
    const server = await startServer({ config: 'ping_interval: "100ms"\nping_max: 1\n' });
    try {
      const client = await connected(server.port);
      for (let i = 0; i < 3; i++) {
        await client.waitFor((text) => text.includes("PING\r\n"));
        await client.expect("PING\r\n");
        client.send("PONG\r\n");
      }
      expect(client.closed).toBe(false);
      client.close();
    } finally {
      await server.stop();
    }
  });

  test("write_deadline: a subscriber whose socket stays full is closed", async () => {
    const server = await startServer({
      config: 'write_deadline: "500ms"\nmax_pending: 268435456\n',
    });
    try {
      const slow = new Socket();
      await new Promise<void>((resolve) => slow.connect(server.port, "127.0.0.1", resolve));
      slow.write('CONNECT {"verbose":false}\r\nSUB flood 1\r\nPING\r\n');
      await new Promise<void>((resolve) => {
        slow.on("data", (chunk: Buffer) => {
          if (chunk.toString("latin1").includes("PONG")) {
            slow.pause(); // stop reading: the server's writes to this socket will block
            resolve();
          }
        });
      });
      const slowClosed = new Promise<void>((resolve) => slow.on("close", () => resolve()));
      const publisher = new Socket();
      await new Promise<void>((resolve) => publisher.connect(server.port, "127.0.0.1", resolve));
      publisher.write('CONNECT {"verbose":false}\r\n');
      // 64 MiB: more than the socket buffers hold, far less than max_pending.
      const payload = "y".repeat(512 * 1024);
      for (let i = 0; i < 128; i++) {
        if (!publisher.write(`PUB flood ${payload.length}\r\n${payload}\r\n`)) {
          await new Promise((resolve) => publisher.once("drain", resolve));
        }
      }
      const pong = new Promise<void>((resolve) => {
        publisher.on("data", (chunk: Buffer) => {
          if (chunk.toString("latin1").includes("PONG")) resolve();
        });
      });
      publisher.write("PING\r\n");
      await pong; // the publisher is served throughout
      // Both servers log the slow consumer; only then may the socket drain (draining in time
      // would rightly keep it open).
      await server.waitForLog(/Slow Consumer Detected/);
      slow.resume();
      await slowClosed;
      publisher.destroy();
    } finally {
      await server.stop();
    }
  });

  test("max_pending: a subscriber that stops reading is closed; others are not delayed", async () => {
    const server = await startServer({ config: "max_pending: 262144\nmax_payload: 65536\n" });
    try {
      // The slow subscriber uses node:net so that it can stop reading (pause).
      const slow = new Socket();
      await new Promise<void>((resolve) => slow.connect(server.port, "127.0.0.1", resolve));
      slow.write('CONNECT {"verbose":false}\r\nSUB flood 1\r\nPING\r\n');
      let slowBytes = 0;
      let sawPong = false;
      const pong = new Promise<void>((resolve) => {
        slow.on("data", (chunk: Buffer) => {
          slowBytes += chunk.length;
          if (!sawPong && chunk.toString("latin1").includes("PONG")) {
            sawPong = true;
            slow.pause();
            resolve();
          }
        });
      });
      const slowClosed = new Promise<void>((resolve) => slow.on("close", () => resolve()));
      await pong;
      const fast = await connected(server.port);
      fast.send("SUB flood 1\r\n");
      await fast.flush();
      const publisher = await connected(server.port);
      const payload = "x".repeat(16 * 1024);
      const messages = 2048; // 32 MiB: far beyond socket buffers plus max_pending
      for (let i = 0; i < messages; i += 64) {
        await publisher.write(`PUB flood ${payload.length}\r\n${payload}\r\n`.repeat(64));
        await publisher.flush();
      }
      // The fast subscriber got everything.
      const expectedBytes = messages * (`MSG flood 1 16384\r\n`.length + payload.length + 2);
      // (Server PINGs may be interleaved; payloads are all "x", so they cannot hide one.)
      const messageBytes = (text: string) => text.replaceAll("PING\r\n", "").length;
      await fast.waitFor((text) => messageBytes(text) >= expectedBytes);
      expect(messageBytes(fast.buffered)).toBe(expectedBytes);
      slow.resume();
      await slowClosed;
      expect(slowBytes).toBeLessThan(messages * payload.length);
      fast.close();
      publisher.close();
    } finally {
      await server.stop();
    }
  });
});
