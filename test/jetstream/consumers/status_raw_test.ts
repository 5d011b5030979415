/**
 * Consumer wire forms byte for byte over a raw connection: delivered messages with their
 * $JS.ACK reply, the ack-sync answer, and the pull statuses (404, 408 with pending headers, 409
 * max waiting / max bytes / consumer deleted, 100 idle heartbeat for pull requests and push
 * consumers). Runs against natsd, or Go nats-server with NATS_SERVER=nats-server.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RawClient } from "../../harness/raw_client.ts";
import { isGoServer, type RunningServer, startServer } from "../../harness/server_process.ts";

let server: RunningServer;
let raw: RawClient;
let sid = 100;

beforeAll(async () => {
  server = await startServer({ args: ["-js", "-sd", join(tmpdir(), `natsd-raw-${process.pid}`)] });
  raw = await RawClient.connect(server.port);
  await raw.readInfo();
  raw.send('CONNECT {"verbose":false,"pedantic":false,"headers":true}\r\n');
  await raw.flush();
  await api("$JS.API.STREAM.CREATE.R", { name: "R", subjects: ["r.>"], storage: "memory" });
});
afterAll(async () => {
  raw.close();
  await server.stop();
  rmSync(join(tmpdir(), `natsd-raw-${process.pid}`), { recursive: true, force: true });
});

/** Consumers read `r.<name>` only, so each test sees its own messages. */

/** Subscribes a fresh inbox; returns its subject and sid. */
async function inbox(): Promise<{ subject: string; sid: number }> {
  const n = ++sid;
  raw.send(`SUB in.${n} ${n}\r\n`);
  await raw.flush();
  return { subject: `in.${n}`, sid: n };
}

/**
 * Waits for the first message to `box` and returns its whole frame. Every inbox is used for one
 * exchange, so the first frame on its sid is the answer; the buffer is left as is.
 */
async function nextFrame(box: { subject: string; sid: number }): Promise<string> {
  const re = new RegExp(`H?MSG [^ ]+ ${box.sid} [^\\r]*\\r\\n`);
  const frameEnd = (t: string): number => {
    const m = re.exec(t);
    if (m === null) return -1;
    const sizes = m[0].trim().split(" ");
    const end = m.index + m[0].length + Number(sizes[sizes.length - 1]) + 2;
    return t.length >= end ? end : -1;
  };
  const text = await raw.waitFor((t) => frameEnd(t) >= 0);
  const frame = text.slice(re.exec(text)!.index, frameEnd(text));
  // Go 2.9.10 writes an empty reply as a second space in MSG/HMSG lines from JetStream.
  return isGoServer() ? frame.replace(/^(H?MSG [^ ]+ \d+)  /, "$1 ") : frame;
}

function pub(subject: string, reply: string, body: string): void {
  raw.send(`PUB ${subject} ${reply} ${Buffer.byteLength(body)}\r\n${body}\r\n`);
}

async function api(subject: string, body: unknown): Promise<string> {
  const box = await inbox();
  pub(subject, box.subject, typeof body === "string" ? body : JSON.stringify(body));
  return await nextFrame(box);
}

async function consumer(name: string, config: Record<string, unknown>): Promise<void> {
  const frame = await api(`$JS.API.CONSUMER.CREATE.R.${name}`,
    { stream_name: "R", config: { durable_name: name, ack_policy: "explicit",
      filter_subject: `r.${name}`, ...config } });
  expect(frame).toContain('"name":"' + name + '"');
}

async function pull(name: string, body: string): Promise<{ subject: string; sid: number }> {
  const box = await inbox();
  pub(`$JS.API.CONSUMER.MSG.NEXT.R.${name}`, box.subject, body);
  return box;
}

const status = (box: { subject: string; sid: number }, text: string) =>
  `HMSG ${box.subject} ${box.sid} ${text.length} ${text.length}\r\n${text}\r\n`;

describe("pull statuses", () => {
  test("404 No Messages for no_wait on nothing", async () => {
    await consumer("nw", {});
    const box = await pull("nw", '{"batch":1,"no_wait":true}');
    expect(await nextFrame(box)).toBe(status(box, "NATS/1.0 404 No Messages\r\n\r\n"));
  });

  test("408 Request Timeout carries what was left of the request", async () => {
    await consumer("exp", {});
    const box = await pull("exp", '{"batch":3,"expires":50000000,"max_bytes":1024}');
    expect(await nextFrame(box)).toBe(status(box, "NATS/1.0 408 Request Timeout\r\n" +
      "Nats-Pending-Messages: 3\r\nNats-Pending-Bytes: 1024\r\n\r\n"));
  });

  test("409 Exceeded MaxWaiting when the queue is full", async () => {
    await consumer("mw", { max_waiting: 1 });
    await pull("mw", '{"batch":1,"expires":5000000000}');
    const box = await pull("mw", '{"batch":1,"expires":5000000000}');
    expect(await nextFrame(box)).toBe(status(box, "NATS/1.0 409 Exceeded MaxWaiting\r\n\r\n"));
  });

  test("100 Idle Heartbeat for a waiting request", async () => {
    await consumer("hb", {});
    const box = await pull("hb", '{"batch":1,"expires":2000000000,"idle_heartbeat":50000000}');
    expect(await nextFrame(box)).toBe(status(box, "NATS/1.0 100 Idle Heartbeat\r\n" +
      "Nats-Last-Consumer: 0\r\nNats-Last-Stream: 0\r\n\r\n"));
  });

  test("409 Message Size Exceeds MaxBytes; the message stays for the next request", async () => {
    await consumer("mb", {});
    pub("r.mb", "", "x".repeat(100));
    const box = await pull("mb", '{"batch":2,"max_bytes":10,"expires":2000000000}');
    expect(await nextFrame(box)).toBe(status(box, "NATS/1.0 409 Message Size Exceeds MaxBytes" +
      "\r\nNats-Pending-Messages: 2\r\nNats-Pending-Bytes: 10\r\n\r\n"));
    const again = await pull("mb", "1");
    expect(await nextFrame(again)).toMatch(
      new RegExp(`^MSG r\\.mb ${again.sid} ` +
        `\\$JS\\.ACK\\.R\\.mb\\.1\\.\\d+\\.1\\.\\d+\\.0 100\\r\\n`));
  });

  test("409 Consumer Deleted for requests waiting on a deleted consumer", async () => {
    await consumer("del", {});
    const box = await pull("del", '{"batch":1,"expires":5000000000}');
    await raw.flush();
    await api("$JS.API.CONSUMER.DELETE.R.del", "");
    expect(await nextFrame(box)).toBe(status(box, "NATS/1.0 409 Consumer Deleted\r\n\r\n"));
  });
});

describe("delivery and acks", () => {
  test("a message carries its stream subject and the ack reply; +ACK with a reply is confirmed",
    async () => {
      await consumer("ack", {});
      pub("r.ack", "", "hello");
      const box = await pull("ack", "");
      const frame = await nextFrame(box);
      const m = new RegExp(
        `^MSG r\\.ack ${box.sid} ` +
        `(\\$JS\\.ACK\\.R\\.ack\\.1\\.(\\d+)\\.1\\.(\\d+)\\.0) 5\\r\\nhello\\r\\n$`)
        .exec(frame);
      expect(m).not.toBeNull();
      const confirm = await inbox();
      pub(m![1], confirm.subject, "+ACK");
      expect(await nextFrame(confirm)).toBe(`MSG ${confirm.subject} ${confirm.sid} 0\r\n\r\n`);
    });

  test("a push consumer sends idle heartbeats to its deliver subject", async () => {
    await api("$JS.API.STREAM.CREATE.P", { name: "P", subjects: ["p"], storage: "memory" });
    const box = await inbox();
    await api("$JS.API.CONSUMER.CREATE.P.push", { stream_name: "P", config: {
      durable_name: "push", ack_policy: "explicit", deliver_subject: box.subject,
      idle_heartbeat: 100_000_000 } });
    expect(await nextFrame(box)).toBe(status(box, "NATS/1.0 100 Idle Heartbeat\r\n" +
      "Nats-Last-Consumer: 0\r\nNats-Last-Stream: 0\r\n\r\n"));
  });
});
