import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { TestBed } from "../_test_bed.ts";
import {
  collectSnapshot, json, pushRestore, requestRaw,
} from "../snapshot/_transfer_client.ts";

type Json = Record<string, unknown>;
const decoder = new TextDecoder();
const codeOf = (r: Json) => (r.error as { err_code: number } | undefined)?.err_code;

let bed: TestBed;
beforeEach(async () => {
  bed = await TestBed.start();
});
afterEach(async () => {
  await bed.close();
});

let inboxes = 0;

/** Pulls n messages through MSG.NEXT; resolves with their ack replies. */
function pull(stream: string, name: string, n: number): Promise<string[]> {
  const inbox = `_INBOX.pull${++inboxes}`;
  const got: string[] = [];
  return new Promise((resolve) => {
    const sub = bed.client.subscribe(inbox, (_subject, reply) => {
      got.push(reply);
      if (got.length === n) {
        bed.client.unsubscribe(sub);
        resolve(got);
      }
    });
    bed.client.publish(`$JS.API.CONSUMER.MSG.NEXT.${stream}.${name}`, inbox, null,
      new TextEncoder().encode(String(n)));
  });
}

async function fill(storage: "file" | "memory"): Promise<void> {
  await bed.api("$JS.API.STREAM.CREATE.S", { name: "S", subjects: ["s.>"], storage });
  for (let i = 1; i <= 40; i++) {
    await bed.publish(`s.${i % 3}`, `message ${i} `.repeat(20), { "Nats-Msg-Id": `id${i}` });
  }
  await bed.api("$JS.API.STREAM.MSG.DELETE.S", { seq: 7, no_erase: true });
  await bed.api("$JS.API.CONSUMER.DURABLE.CREATE.S.D",
    { stream_name: "S", config: { durable_name: "D", ack_policy: "explicit" } });
  const replies = await pull("S", "D", 5);
  for (const reply of replies.slice(0, 3)) await bed.request(reply, "+ACK");
}

async function snapshot(stream: string, body: Json = {}) {
  const deliver = `_INBOX.snap${++inboxes}`;
  const got = collectSnapshot(bed.client, deliver);
  const response = await bed.api(`$JS.API.STREAM.SNAPSHOT.${stream}`,
    { deliver_subject: deliver, ...body });
  return { response, ...(await got) };
}

async function restore(stream: string, body: Json, archive: Uint8Array) {
  const answer = await bed.api(`$JS.API.STREAM.RESTORE.${stream}`, body);
  if (answer.error !== undefined) return { answer, final: answer };
  const final = await pushRestore(bed.client, answer.deliver_subject as string, archive);
  return { answer, final };
}

const consumerInfo = (name: string) => bed.api(`$JS.API.CONSUMER.INFO.S.${name}`);

describe("STREAM.SNAPSHOT and STREAM.RESTORE", () => {
  for (const storage of ["file", "memory"] as const) {
    test(`snapshot, delete, restore round-trips messages and consumers (${storage})`,
      async () => {
        await fill(storage);
        const before = await bed.api("$JS.API.STREAM.INFO.S");
        const consumerBefore = await consumerInfo("D");
        const snap = await snapshot("S", { chunk_size: 1024 });
        expect(snap.response.type).toBe("io.nats.jetstream.api.v1.stream_snapshot_response");
        expect(snap.response.state).toEqual(before.state);
        expect((snap.response.config as Json).name).toBe("S");
        expect(snap.endHeader).toBe("NATS/1.0 204\r\n\r\n");
        expect(snap.chunks.length).toBeGreaterThan(2);
        await bed.api("$JS.API.STREAM.DELETE.S");
        const { answer, final } = await restore("S",
          { config: snap.response.config, state: snap.response.state }, snap.bytes);
        expect(answer.type).toBe("io.nats.jetstream.api.v1.stream_restore_response");
        expect(answer.deliver_subject).toMatch(/^\$JS\.SNAPSHOT\.RESTORE\.S\.[0-9A-Za-z]{22}$/);
        expect(final.type).toBe("io.nats.jetstream.api.v1.stream_create_response");
        expect(final.error).toBeUndefined();
        expect(final.state).toEqual(before.state);
        expect(final.created).toBe(before.created);
        const after = await bed.api("$JS.API.STREAM.INFO.S");
        expect(after.state).toEqual(before.state);
        const m = await bed.api("$JS.API.STREAM.MSG.GET.S", { seq: 40 });
        expect(atob((m.message as Json).data as string)).toBe("message 40 ".repeat(20));
        const dup = await bed.publish("s.1", "again", { "Nats-Msg-Id": "id40" });
        expect(dup).toMatchObject({ seq: 40, duplicate: true });
        const consumerAfter = await consumerInfo("D");
        const seqs = (r: Json) => [r.delivered, r.ack_floor].map((p) => {
          const { consumer_seq, stream_seq } = p as Json;
          return [consumer_seq, stream_seq];
        });
        // last_active is not kept in consumer state, by Go either.
        expect(seqs(consumerAfter)).toEqual(seqs(consumerBefore));
        expect(seqs(consumerAfter)).toEqual([[5, 5], [3, 3]]);
        for (const key of ["num_ack_pending", "num_pending"]) {
          expect(consumerAfter[key]).toEqual(consumerBefore[key]);
        }
        expect(consumerAfter.created).toBe(consumerBefore.created);
        const next = await pull("S", "D", 1);
        expect(next[0]).toContain(".S.D.1.");
      });
  }

  test("the restored file stream survives a restart", async () => {
    await fill("file");
    const snap = await snapshot("S");
    await bed.api("$JS.API.STREAM.DELETE.S");
    await restore("S", { config: snap.response.config }, snap.bytes);
    const before = await bed.api("$JS.API.STREAM.INFO.S");
    await bed.restart();
    expect((await bed.api("$JS.API.STREAM.INFO.S")).state).toEqual(before.state);
    expect(((await consumerInfo("D")).ack_floor as Json).stream_seq).toBe(3);
  });

  test("ephemeral consumers come back as ephemerals", async () => {
    await fill("file");
    const eph = await bed.api("$JS.API.CONSUMER.CREATE.S.eph", { stream_name: "S",
      config: { name: "eph", ack_policy: "explicit", inactive_threshold: 3_600_000_000_000 } });
    expect(eph.error).toBeUndefined();
    await pull("S", "eph", 2);
    const snap = await snapshot("S");
    await bed.api("$JS.API.STREAM.DELETE.S");
    await restore("S", { config: snap.response.config }, snap.bytes);
    const info = await consumerInfo("eph");
    expect((info.config as Json).durable_name).toBeUndefined();
    expect((info.delivered as Json).stream_seq).toBe(2);
    expect((await bed.api("$JS.API.CONSUMER.NAMES.S")).consumers).toEqual(["D", "eph"]);
  });

  test("no_consumers leaves the consumers out", async () => {
    await fill("file");
    const snap = await snapshot("S", { no_consumers: true });
    await bed.api("$JS.API.STREAM.DELETE.S");
    const { final } = await restore("S", { config: snap.response.config }, snap.bytes);
    expect((final.state as Json).consumer_count).toBe(0);
    expect(codeOf(await consumerInfo("D"))).toBe(10014);
  });

  test("chunks carry Go's ack subjects; a short last chunk has no reply", async () => {
    await fill("memory");
    const snap = await snapshot("S", { chunk_size: 1, window_size: 1 });
    const full = snap.chunks.slice(0, -1);
    expect(full.every((c) => c.data.length === 1024)).toBe(true);
    full.forEach((c, i) => {
      expect(c.reply).toMatch(new RegExp(`^\\$JS\\.SNAPSHOT\\.ACK\\.S\\.[0-9A-Za-z]{22}` +
        `\\.1024\\.${i + 1}$`));
    });
    const last = snap.chunks[snap.chunks.length - 1];
    expect(last.data.length < 1024 ? last.reply : "").toBe("");
  });

  test("truncated and corrupt archives fail with 10062 and leave no stream", async () => {
    await fill("file");
    const snap = await snapshot("S");
    await bed.api("$JS.API.STREAM.DELETE.S");
    const cfg = { config: snap.response.config };
    const truncated = await restore("S", cfg, snap.bytes.subarray(0, snap.bytes.length - 40));
    expect(truncated.final.error).toEqual({ code: 500, err_code: 10062,
      description: "restore failed: unexpected EOF" });
    expect(codeOf(await bed.api("$JS.API.STREAM.INFO.S"))).toBe(10059);
    expect(existsSync(join(bed.dir, "jetstream", "$G", "streams", "S"))).toBe(false);
    const corrupt = snap.bytes.slice();
    corrupt[corrupt.length >> 1] ^= 0xff;
    const bad = await restore("S", cfg, corrupt);
    expect(codeOf(bad.final)).toBe(10062);
    expect((bad.final.error as Json).description).toMatch(/^restore failed: corrupt snapshot/);
    expect(codeOf(await bed.api("$JS.API.STREAM.INFO.S"))).toBe(10059);
    const again = await restore("S", cfg, snap.bytes);
    expect(again.final.error).toBeUndefined();
  });

  test("a restore beyond the account's storage limit is refused and leaves nothing", async () => {
    await fill("file");
    const snap = await snapshot("S");
    await bed.api("$JS.API.STREAM.DELETE.S");
    bed.jsa.limits.max_storage = 2000;
    const { final } = await restore("S", { config: snap.response.config }, snap.bytes);
    expect(final.error).toEqual({ code: 500, err_code: 10047,
      description: "insufficient storage resources available" });
    expect(codeOf(await bed.api("$JS.API.STREAM.INFO.S"))).toBe(10059);
  });

  test("an archive of another stream is refused", async () => {
    await fill("memory");
    const snap = await snapshot("S");
    const cfg = { ...(snap.response.config as Json), name: "T", subjects: ["t.>"] };
    const { final } = await restore("T", { config: cfg }, snap.bytes);
    expect(final.error).toEqual({ code: 500, err_code: 10062,
      description: "restore failed: stream names do not match" });
    expect(codeOf(await bed.api("$JS.API.STREAM.INFO.T"))).toBe(10059);
  });

  test("request errors carry Go's err_codes", async () => {
    await fill("memory");
    const snapCode = async (stream: string, body: string) =>
      codeOf(JSON.parse(decoder.decode(await requestRaw(bed.client,
        `$JS.API.STREAM.SNAPSHOT.${stream}`, new TextEncoder().encode(body)))));
    expect(await snapCode("S", "")).toBe(10003);
    expect(await snapCode("X", '{"deliver_subject":"a"}')).toBe(10059);
    expect(await snapCode("S", '{"deliver_subject":"a.*"}')).toBe(10015);
    expect(await snapCode("S", '{"deliver_subject":"a","x":1}')).toBe(10025);
    const existing = await bed.api("$JS.API.STREAM.RESTORE.S", { config: { name: "S" } });
    expect(existing).toEqual({ type: "io.nats.jetstream.api.v1.stream_restore_response",
      error: { code: 400, err_code: 10130,
        description: "stream name already in use, cannot restore" }, deliver_subject: "" });
    expect(codeOf(await bed.api("$JS.API.STREAM.RESTORE.S"))).toBe(10003);
    expect(codeOf(await bed.api("$JS.API.STREAM.RESTORE.S", { config: { name: "T" } })))
      .toBe(10056);
    const named = await bed.api("$JS.API.STREAM.RESTORE.N", { config: {} });
    expect(named.deliver_subject).toMatch(/^\$JS\.SNAPSHOT\.RESTORE\.N\./);
    const final = await pushRestore(bed.client, named.deliver_subject as string,
      new Uint8Array(0));
    expect(codeOf(final)).toBe(10062);
  });
});
