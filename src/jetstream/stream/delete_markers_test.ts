import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { TestBed } from "../_test_bed.ts";
import { isDeleteMarker, markerHeaders } from "./delete_markers.ts";

const SECOND = 1_000_000_000n;
let bed: TestBed;
beforeEach(async () => {
  bed = await TestBed.start();
});
afterEach(async () => {
  await bed.close();
});

async function stream(cfg: Record<string, unknown> = {}): Promise<void> {
  const r = await bed.api("$JS.API.STREAM.CREATE.K", { name: "K", subjects: ["k.*"],
    subject_delete_marker_ttl: Number(2n * SECOND), ...cfg });
  if (r.error) throw new Error(JSON.stringify(r.error));
}
const state = async () => (await bed.api("$JS.API.STREAM.INFO.K")).state as
  Record<string, unknown>;
const last = async (subject: string) =>
  (await bed.api("$JS.API.STREAM.MSG.GET.K", { last_by_subj: subject })).message as
  { seq: number; hdrs?: string } | undefined;
const headersOf = (m: { hdrs?: string } | undefined) =>
  m?.hdrs === undefined ? "" : Buffer.from(m.hdrs, "base64").toString();

describe("subject delete markers", () => {
  test("the configuration turns on TTLs and rollups", async () => {
    await stream();
    expect((await bed.api("$JS.API.STREAM.INFO.K")).config).toMatchObject({
      allow_msg_ttl: true, allow_rollup_hdrs: true, subject_delete_marker_ttl: 2_000_000_000 });
  });

  test("a subject's last message expiring by max_age leaves a marker that expires", async () => {
    await stream({ max_age: Number(10n * SECOND) });
    await bed.publish("k.a", "v");
    bed.clock.advance(11n * SECOND);
    expect(await state()).toMatchObject({ messages: 1, first_seq: 2, last_seq: 2 });
    expect(headersOf(await last("k.a"))).toBe(
      "NATS/1.0\r\nNats-Marker-Reason: MaxAge\r\nNats-TTL: 2s\r\nNats-Rollup: sub\r\n\r\n");
    bed.clock.advance(3n * SECOND);
    expect(await state()).toMatchObject({ messages: 0, last_seq: 2 });
  });

  test("an older message of a subject with newer ones is simply removed", async () => {
    await stream({ max_age: Number(10n * SECOND) });
    await bed.publish("k.a", "1");
    bed.clock.advance(5n * SECOND);
    await bed.publish("k.a", "2");
    bed.clock.advance(6n * SECOND);
    expect(await state()).toMatchObject({ messages: 1, first_seq: 2, last_seq: 2 });
  });

  test("per-message TTL expiry leaves a marker; short TTLs are raised to the marker TTL",
    async () => {
      await stream({ subject_delete_marker_ttl: Number(5n * SECOND) });
      await bed.publish("k.a", "v", { "Nats-TTL": "1s" });
      expect(headersOf(await last("k.a"))).toBe("NATS/1.0\r\nNats-TTL: 5\r\n\r\n");
      bed.clock.advance(2n * SECOND);
      expect((await state()).messages).toBe(1);
      bed.clock.advance(4n * SECOND);
      expect(headersOf(await last("k.a"))).toContain("Nats-Marker-Reason: MaxAge");
      bed.clock.advance(6n * SECOND);
      expect((await state()).messages).toBe(0);
    });

  test("TTL never keeps a message through max_age", async () => {
    await stream({ max_age: Number(10n * SECOND) });
    await bed.publish("k.a", "keep", { "Nats-TTL": "never" });
    await bed.publish("k.b", "go");
    bed.clock.advance(11n * SECOND);
    expect((await last("k.a"))?.seq).toBe(1);
    expect(headersOf(await last("k.b"))).toContain("Nats-Marker-Reason");
  });

  test("deadlines survive a restart", async () => {
    await stream({ max_age: Number(10n * SECOND) });
    await bed.publish("k.a", "v", { "Nats-TTL": "3s" });
    await bed.restart();
    bed.clock.advance(4n * SECOND);
    expect(headersOf(await last("k.a"))).toContain("Nats-Marker-Reason: MaxAge");
  });
});

describe("markers", () => {
  test("markerHeaders and isDeleteMarker", () => {
    expect(new TextDecoder().decode(markerHeaders(90n * SECOND))).toContain("Nats-TTL: 1m30s");
    expect(isDeleteMarker(markerHeaders(SECOND))).toBe(true);
    expect(isDeleteMarker(new TextEncoder().encode("NATS/1.0\r\nKV-Operation: PURGE\r\n\r\n")))
      .toBe(true);
    expect(isDeleteMarker(new TextEncoder().encode("NATS/1.0\r\nKV-Operation: DEL\r\n\r\n")))
      .toBe(false);
  });
});
