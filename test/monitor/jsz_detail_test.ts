/**
 * /jsz detail parameters (accounts, streams, consumers, config, acc, offset, limit, leader-only)
 * and the JSZ system requests, after the same workload on natsd (or NATS_SERVER) and, when
 * installed, Go nats-server 2.9.10 side by side: the same assertions hold on both, and the
 * detail documents have the same keys and types apart from the listed version differences.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import {
  isGoServer, type RunningServer, serverCommand, startServer,
} from "../harness/server_process.ts";
import { get, getJson, getJsonWhen, type Json } from "./monitor_http.ts";

const GO_BINARY = Bun.which("nats-server") ?? Bun.which("nats-server", { PATH: "/usr/sbin" });
const WITH_GO = GO_BINARY !== null && !process.env.NATS_SERVER;

const CONFIG = `
accounts {
  SYS { users [{ user: sys, password: sys }] }
  A { jetstream: enabled, users [{ user: a, password: a }] }
}
system_account: SYS
`;

/** Go writes an unlimited account reservation as uint64(-1). */
const UNLIMITED_UINT64 = "18446744073709551615";

/** Keys only natsd (2.14) writes in the detail documents. */
const NATSD_ONLY = [
  "api.level", "total", "limits", "consumer_detail[].ts",
  "consumer_detail[].delivered.last_active",
];

interface Side {
  name: string;
  server: RunningServer;
  dir: string;
  sys: NatsConnection;
}

async function startSide(name: string, command: string[]): Promise<Side> {
  const dir = mkdtempSync(join(tmpdir(), "natsd-jszd-"));
  const server = await startServer({
    args: ["-js", "-sd", dir, "-m", "-1"], config: CONFIG, command,
  });
  const nc = await connect({ servers: server.url, user: "a", pass: "a" });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "S", subjects: ["s.>"], max_bytes: 1_000_000 });
    await jsm.streams.add({ name: "M", mirror: { name: "S" } });
    const js = jetstream(nc);
    for (let i = 0; i < 3; i++) await js.publish("s.a", "x");
    await jsm.consumers.add("S", { durable_name: "C", ack_policy: "explicit" as never });
  } finally {
    await nc.close();
  }
  // The mirror copies on its own schedule: wait on the server for it to hold all three.
  await getJsonWhen(server, "/jsz?acc=A&streams=true", (doc) =>
    streamNamed(doc, "M")?.state?.messages === 3);
  const sys = await connect({ servers: server.url, user: "sys", pass: "sys" });
  return { name, server, dir, sys };
}

function streamNamed(doc: Json, name: string): Json | undefined {
  const details = (doc.account_details ?? []) as Json[];
  return details.flatMap((a) => (a.stream_detail ?? []) as Json[]).find((s) => s.name === name);
}

async function request(side: Side, subject: string, body: object): Promise<Json> {
  const reply = await side.sys.request(subject, JSON.stringify(body));
  return reply.json<Json>();
}

const sides: Side[] = [];

beforeAll(async () => {
  sides.push(await startSide("natsd", serverCommand()));
  if (WITH_GO) sides.push(await startSide("go", [GO_BINARY!]));
});

afterAll(async () => {
  for (const side of sides) {
    await side.sys.close();
    await side.server.stop();
    rmSync(side.dir, { recursive: true, force: true });
  }
});

/** Flattens a document into "path: type" entries; array items merge under `[]`. */
function shape(value: unknown, path: string, out: Map<string, string>): Map<string, string> {
  if (Array.isArray(value)) {
    out.set(path, "array");
    for (const item of value) shape(item, `${path}[]`, out);
  } else if (value !== null && typeof value === "object") {
    out.set(path, "object");
    for (const [key, item] of Object.entries(value)) {
      shape(item, path === "" ? key : `${path}.${key}`, out);
    }
  } else {
    out.set(path, value === null ? "null" : typeof value);
  }
  return out;
}

function versionOnly(path: string): boolean {
  const tail = path.replace(/^account_details\[\]\.(stream_detail\[\]\.)?/, "");
  return NATSD_ONLY.some((key) => tail === key || tail.startsWith(`${key}.`)) ||
    // 2.14 stream and consumer configs carry fields 2.9.10 did not have.
    /\.config\./.test(path) || /\.state\./.test(path) || /\.mirror\./.test(path);
}

describe("/jsz details", () => {
  test("consumers=true&config=true nests accounts, streams, configs and consumers", async () => {
    for (const side of sides) {
      const reply = await get(side.server, "/jsz?consumers=true&config=true");
      expect(reply.status).toBe(200);
      expect(reply.body).toContain(`"reserved_memory": ${UNLIMITED_UINT64}`);
      const doc = JSON.parse(reply.body) as Json;
      expect(doc.config.store_dir).toBe(join(side.dir, "jetstream"));
      const account = (doc.account_details as Json[]).find((a) => a.name === "A")!;
      expect(account.id).toBe("A");
      expect(account.storage).toBe(doc.storage);
      expect(account.api.total).toBeGreaterThanOrEqual(5);
      if (side.name === "natsd" && !isGoServer()) expect(account.api.level).toBe(0);
      const names = (account.stream_detail as Json[]).map((s) => s.name).sort();
      expect(names).toEqual(["M", "S"]);
      const s = streamNamed(doc, "S")!;
      expect(s.config.name).toBe("S");
      expect(s.config.max_bytes).toBe(1_000_000);
      expect(s.state.messages).toBe(3);
      expect(s.cluster.leader).toBeString();
      expect(s.consumer_detail.map((c: Json) => c.name)).toEqual(["C"]);
      expect(s.consumer_detail[0].config.durable_name).toBe("C");
      expect(s.consumer_detail[0].num_pending).toBe(3);
      const m = streamNamed(doc, "M")!;
      expect(m.mirror.name).toBe("S");
      expect(m.consumer_detail).toBeUndefined();
    }
  });

  test.skipIf(isGoServer())("direct-consumers lists the mirror's internal consumer (2.14)",
    async () => {
      // natsd only: Go 2.9.10 has no direct consumer details.
      const doc = await getJson(sides[0].server, "/jsz?consumers=true&direct-consumers=true");
      const s = streamNamed(doc, "S")!;
      expect(s.consumer_detail.map((c: Json) => c.name)).toEqual(["C"]);
      expect(s.direct_consumer_detail.length).toBe(1);
      expect(s.direct_consumer_detail[0].name).toStartWith("JS_MIRROR_");
      expect(s.direct_consumer_detail[0].config).toBeUndefined();
    });

  test("streams without config or consumers leave them out", async () => {
    for (const side of sides) {
      const doc = await getJson(side.server, "/jsz?streams=true");
      const s = streamNamed(doc, "S")!;
      expect(s.config).toBeUndefined();
      expect(s.consumer_detail).toBeUndefined();
      const consumers = await getJson(side.server, "/jsz?consumers=1");
      expect(streamNamed(consumers, "S")!.consumer_detail[0].config).toBeUndefined();
    }
  });

  test("acc, accounts, offset and limit select the account details", async () => {
    for (const side of sides) {
      const acc = await getJson(side.server, "/jsz?acc=A");
      expect(acc.account_details.map((a: Json) => a.name)).toEqual(["A"]);
      expect(acc.account_details[0].stream_detail).toBeUndefined();
      expect((await getJson(side.server, "/jsz?acc=nope")).account_details).toBeUndefined();
      expect((await getJson(side.server, "/jsz")).account_details).toBeUndefined();
      const all = await getJson(side.server, "/jsz?accounts=true");
      expect(all.account_details.map((a: Json) => a.name)).toContain("A");
      const count = all.account_details.length;
      const past = await getJson(side.server, `/jsz?accounts=true&offset=${count}`);
      expect(past.account_details).toBeUndefined();
      const one = await getJson(side.server, "/jsz?accounts=true&limit=1");
      expect(one.account_details.length).toBe(1);
      const leader = await getJson(side.server, "/jsz?leader-only=true&stream-leader-only=true");
      expect(leader.streams).toBe(2);
    }
  });

  test("bad detail parameters answer 400 with Go's text", async () => {
    for (const side of sides) {
      const reply = await get(side.server, "/jsz?consumers=maybe");
      expect(reply.status).toBe(400);
      expect(reply.body).toContain("Error decoding boolean for 'consumers'");
      const offset = await get(side.server, "/jsz?offset=x");
      expect(offset.status).toBe(400);
      expect(offset.body).toContain("Error decoding int for 'offset'");
    }
  });

  test.skipIf(!WITH_GO)("detail keys and types match Go 2.9.10 but for version additions",
    async () => {
      const [ours, theirs] = await Promise.all(sides.map(async (side) => shape(
        await getJson(side.server, "/jsz?acc=A&consumers=true&config=true"), "", new Map())));
      const problems: string[] = [];
      for (const [path, type] of ours) {
        if (!theirs.has(path)) {
          if (!versionOnly(path)) problems.push(`only in natsd: ${path}`);
        } else if (theirs.get(path) !== type) {
          problems.push(`type of ${path}: natsd ${type}, Go ${theirs.get(path)}`);
        }
      }
      for (const path of theirs.keys()) {
        if (!ours.has(path) && !versionOnly(path)) problems.push(`only in Go: ${path}`);
      }
      expect(problems).toEqual([]);
    });
});

describe("JSZ system requests", () => {
  test("$SYS.REQ.SERVER.PING.JSZ takes the detail options from the body", async () => {
    for (const side of sides) {
      const reply = await request(side, "$SYS.REQ.SERVER.PING.JSZ",
        { accounts: true, streams: true, consumer: true, config: true });
      expect(reply.server.name).toBeString();
      const s = streamNamed(reply.data, "S")!;
      expect(s.config.name).toBe("S");
      expect(s.consumer_detail[0].name).toBe("C");
      const plain = await request(side, "$SYS.REQ.SERVER.PING.JSZ", {});
      expect(plain.data.account_details).toBeUndefined();
      expect(plain.data.streams).toBe(2);
      const id = reply.server.id as string;
      const byId = await request(side, `$SYS.REQ.SERVER.${id}.JSZ`, { account: "A" });
      expect(byId.data.account_details.map((a: Json) => a.name)).toEqual(["A"]);
    }
  });

  test("$SYS.REQ.ACCOUNT.<acc>.JSZ answers the account's detail", async () => {
    for (const side of sides) {
      const reply = await request(side, "$SYS.REQ.ACCOUNT.A.JSZ", { streams: true });
      expect(reply.data.name).toBe("A");
      expect(reply.data.stream_detail.map((s: Json) => s.name).sort()).toEqual(["M", "S"]);
      const missing = await request(side, "$SYS.REQ.ACCOUNT.NOPE.JSZ", {});
      expect(missing.error.code).toBe(500);
      expect(missing.error.description).toBe('account "NOPE" not found');
      const consumersOnly = await request(side, "$SYS.REQ.ACCOUNT.A.JSZ", { consumer: true });
      expect(consumersOnly.data.stream_detail).toBeUndefined();
      const noJs = await request(side, "$SYS.REQ.ACCOUNT.SYS.JSZ", {});
      expect(noJs.error.description).toBe('account "SYS" not jetstream enabled');
    }
  });

  test.skipIf(isGoServer())("$SYS HEALTHZ checks assets and keeps status_code (2.14)",
    async () => {
      // natsd only: Go 2.9.10 has neither the asset checks nor status_code.
      const ok = await request(sides[0], "$SYS.REQ.SERVER.PING.HEALTHZ",
        { account: "A", stream: "S", consumer: "C" });
      expect(ok.data).toEqual({ status: "ok", status_code: 200 });
      const missing = await request(sides[0], "$SYS.REQ.SERVER.PING.HEALTHZ",
        { account: "A", stream: "NOPE", details: true });
      expect(missing.data.status).toBe("error");
      expect(missing.data.status_code).toBe(404);
      expect(missing.data.errors[0]).toEqual({ type: "STREAM", account: "A", stream: "NOPE",
        error: 'JetStream stream "NOPE" not found on account "A"' });
    });

  // 2.10+ (Go 2.9.10 does not walk the store of a single server), so natsd only.
  test.skipIf(isGoServer())("/healthz reports a stored stream that is not running", async () => {
    for (const side of sides.filter((x) => x.name === "natsd")) {
      const ghost = join(side.dir, "jetstream", "A", "streams", "GHOST");
      mkdirSync(ghost, { recursive: true });
      try {
        const plain = await get(side.server, "/healthz");
        expect(plain.status).toBe(503);
        expect(JSON.parse(plain.body)).toEqual({ status: "unavailable",
          error: "JetStream stream 'A > GHOST' could not be recovered" });
        const other = await get(side.server, "/healthz?account=A&stream=S");
        expect(other.status).toBe(200);
      } finally {
        rmSync(ghost, { recursive: true, force: true });
      }
      expect((await get(side.server, "/healthz")).status).toBe(200);
    }
  });
});
