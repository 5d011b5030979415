import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type Reply, TestBed } from "../_test_bed.ts";
import { multiLastSeqs } from "./direct_get.ts";

const SECOND = 1_000_000_000n;
let bed: TestBed;
beforeEach(async () => {
  bed = await TestBed.start();
  await bed.api("$JS.API.STREAM.CREATE.D", { name: "D", subjects: ["d.*"], allow_direct: true });
  // d.a@1 d.b@2 d.a@3 d.c@4 d.b@5, one second apart
  for (const [s, v] of [["d.a", "1"], ["d.b", "2"], ["d.a", "3"], ["d.c", "4"], ["d.b", "5"]]) {
    await bed.publish(s, v);
    bed.clock.advance(SECOND);
  }
});
afterEach(async () => {
  await bed.close();
});

const isEob = (r: Reply) => r.hdr?.startsWith("NATS/1.0 204") === true;
const get = (body: unknown) =>
  bed.request("$JS.API.DIRECT.GET.D", typeof body === "string" ? body : JSON.stringify(body));
const batch = (body: unknown) =>
  bed.requestMany("$JS.API.DIRECT.GET.D", JSON.stringify(body), undefined, 10_000, isEob);
const header = (r: Reply, key: string) =>
  new RegExp(`\r\n${key}: ([^\r]*)\r\n`).exec(r.hdr ?? "")?.[1];

describe("DIRECT.GET", () => {
  test("by sequence: the message with the stream headers", async () => {
    const r = await get({ seq: 2 });
    expect(r.text).toBe("2");
    expect(r.hdr).toBe("NATS/1.0\r\nNats-Stream: D\r\nNats-Subject: d.b\r\nNats-Sequence: 2\r\n" +
      "Nats-Time-Stamp: 2023-11-14T22:13:21Z\r\n\r\n");
  });

  test("last and next for a subject, and as of a start time", async () => {
    expect((await get({ last_by_subj: "d.a" })).text).toBe("3");
    expect((await get({ next_by_subj: "d.b", seq: 3 })).text).toBe("5");
    expect((await get({ start_time: "2023-11-14T22:13:22.5Z" })).text).toBe("4");
  });

  test("no_hdr sends the payload alone", async () => {
    const r = await get({ seq: 1, no_hdr: true });
    expect([r.hdr, r.text]).toEqual([null, "1"]);
  });

  test("status replies for bad requests and missing messages", async () => {
    expect((await get("")).hdr).toBe("NATS/1.0 408 Empty Request\r\n\r\n");
    expect((await get("{}")).hdr).toBe("NATS/1.0 408 Empty Request\r\n\r\n");
    expect((await get("{x")).hdr).toBe("NATS/1.0 408 Malformed Request\r\n\r\n");
    expect((await get({ seq: 1, last_by_subj: "d.a" })).hdr).toBe(
      "NATS/1.0 408 Bad Request\r\n\r\n");
    expect((await get({ seq: 99 })).hdr).toBe("NATS/1.0 404 Message Not Found\r\n\r\n");
    const level = await bed.request("$JS.API.DIRECT.GET.D", '{"seq":1}',
      { "Nats-Required-Api-Level": "5" });
    expect(level.hdr).toBe("NATS/1.0 412 Required Api Level\r\n\r\n");
  });

  test("batches carry pending counts and end with EOB", async () => {
    const replies = await batch({ seq: 2, batch: 2 });
    expect(replies.map((r) => r.text)).toEqual(["2", "3", ""]);
    expect([header(replies[0], "Nats-Num-Pending"), header(replies[0], "Nats-Last-Sequence")])
      .toEqual(["3", "0"]);
    expect(header(replies[1], "Nats-Last-Sequence")).toBe("2");
    expect(replies[2].hdr).toBe("NATS/1.0 204 EOB\r\nNats-Num-Pending: 2\r\n" +
      "Nats-Last-Sequence: 3\r\n\r\n");
    const filtered = await batch({ next_by_subj: "d.b", batch: 10 });
    expect(filtered.map((r) => r.text)).toEqual(["2", "5", ""]);
    expect(header(filtered[2], "Nats-Num-Pending")).toBe("0");
  });

  test("a batch stops at max_bytes", async () => {
    const replies = await batch({ seq: 1, batch: 10, max_bytes: 5 });
    expect(replies.map((r) => r.text)).toEqual(["1", "2", ""]);
  });

  test("multi_last: the last message of each subject, up to a sequence or a time", async () => {
    const all = await batch({ multi_last: ["d.*"] });
    expect(all.map((r) => r.text)).toEqual(["3", "4", "5", ""]);
    expect(all[3].hdr).toBe("NATS/1.0 204 EOB\r\nNats-Num-Pending: 0\r\n" +
      "Nats-Last-Sequence: 5\r\nNats-UpTo-Sequence: 5\r\n\r\n");
    const upTo = await batch({ multi_last: ["d.a", "d.b"], up_to_seq: 2 });
    expect(upTo.map((r) => r.text)).toEqual(["1", "2", ""]);
    const upToTime = await batch({ multi_last: ["d.*"], up_to_time: "2023-11-14T22:13:22.5Z" });
    expect(upToTime.map((r) => r.text)).toEqual(["2", "3", ""]);
    expect((await get({ multi_last: ["d.*"], up_to_time: "2020-01-01T00:00:00Z" })).hdr)
      .toBe("NATS/1.0 404 No Results\r\n\r\n");
    expect((await get({ multi_last: ["x.*"] })).hdr).toBe("NATS/1.0 404 No Results\r\n\r\n");
  });

  test("multi_last refuses more than 1024 subjects", async () => {
    await bed.api("$JS.API.STREAM.CREATE.M", { name: "M", subjects: ["m.*"], allow_direct: true,
      storage: "memory" });
    for (let i = 0; i < 1025; i++) bed.client.publish(`m.${i}`, "", null, new Uint8Array(0));
    const store = bed.jsa.streams.get("M")!.store;
    expect(multiLastSeqs(store, ["m.*"], 2000)).toBe("too_many");
    const r = await bed.request("$JS.API.DIRECT.GET.M", '{"multi_last":["m.*"]}');
    expect(r.hdr).toBe("NATS/1.0 413 Too Many Results\r\n\r\n");
  });

  test("by subject in the request subject (the KV path)", async () => {
    const r = await bed.request("$JS.API.DIRECT.GET.D.d.a");
    expect([r.text, header(r, "Nats-Sequence")]).toEqual(["3", "3"]);
    expect((await bed.request("$JS.API.DIRECT.GET.D.d.z")).hdr).toBe(
      "NATS/1.0 404 Message Not Found\r\n\r\n");
    expect((await bed.request("$JS.API.DIRECT.GET.D.d.a", '{"seq":1}')).hdr).toBe(
      "NATS/1.0 408 Bad Request\r\n\r\n");
  });

  test("is served only while allow_direct is set", async () => {
    await bed.api("$JS.API.STREAM.UPDATE.D", { name: "D", subjects: ["d.*"] });
    expect((await get({ seq: 1 })).hdr).toBe("NATS/1.0 503\r\n\r\n");
  });
});

describe("STREAM.MSG.GET", () => {
  test("by sequence, last and next for a subject; headers base64", async () => {
    await bed.publish("d.h", "hi", { "X-A": "1" });
    const r = await bed.api("$JS.API.STREAM.MSG.GET.D", { last_by_subj: "d.h" });
    expect(r.message).toEqual({ subject: "d.h", seq: 6,
      hdrs: Buffer.from("NATS/1.0\r\nX-A: 1\r\n\r\n").toString("base64"),
      data: Buffer.from("hi").toString("base64"), time: "2023-11-14T22:13:25Z" });
    const noHdr = await bed.api("$JS.API.STREAM.MSG.GET.D", { seq: 6, no_hdr: true });
    expect((noHdr.message as Record<string, unknown>).hdrs).toBeUndefined();
    const next = await bed.api("$JS.API.STREAM.MSG.GET.D", { next_by_subj: "d.a", seq: 2 });
    expect((next.message as { seq: number }).seq).toBe(3);
  });

  test("errors: bad requests, missing messages, batches", async () => {
    const code = async (body: unknown) =>
      ((await bed.api("$JS.API.STREAM.MSG.GET.D", body)).error as { err_code: number }).err_code;
    expect(await code(undefined)).toBe(10003);
    expect(await code({ seq: 1, last_by_subj: "d.a" })).toBe(10003);
    expect(await code({ seq: 1, batch: 2 })).toBe(10003);
    expect(await code({ seq: 42 })).toBe(10037);
    expect(await code({ bogus: 1 })).toBe(10025);
  });
});

describe("STREAM.MSG.DELETE", () => {
  test("erases or removes; deny_delete and missing sequences are refused", async () => {
    const del = (body: unknown, stream = "D") =>
      bed.api(`$JS.API.STREAM.MSG.DELETE.${stream}`, body);
    expect(await del({ seq: 2 })).toEqual({
      type: "io.nats.jetstream.api.v1.stream_msg_delete_response", success: true });
    expect((await del({ seq: 3, no_erase: true })).success).toBe(true);
    expect((await del({ seq: 2 })).error).toMatchObject({ err_code: 10043,
      description: "sequence 2 not found" });
    expect((await del({ seq: 50 })).error).toMatchObject({ err_code: 10057,
      description: "stream store EOF" });
    await bed.api("$JS.API.STREAM.CREATE.N", { name: "N", subjects: ["n"], deny_delete: true });
    await bed.publish("n");
    expect((await del({ seq: 1 }, "N")).error).toMatchObject({ err_code: 10057,
      description: "message delete not permitted" });
  });

  test("a memory stream reports any missing sequence as not found", async () => {
    await bed.api("$JS.API.STREAM.CREATE.M", { name: "M", subjects: ["m"], storage: "memory" });
    const r = await bed.api("$JS.API.STREAM.MSG.DELETE.M", { seq: 7 });
    expect(r.error).toMatchObject({ code: 400, err_code: 10043 });
  });
});
