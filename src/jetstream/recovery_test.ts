import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TestBed } from "./_test_bed.ts";

const SECOND = 1_000_000_000n;
let bed: TestBed;
beforeEach(async () => {
  bed = await TestBed.start();
});
afterEach(async () => {
  await bed.close();
});

describe("JetStream restart", () => {
  test("file streams come back with config, created time, messages and deletes", async () => {
    await bed.api("$JS.API.STREAM.CREATE.S", { name: "S", subjects: ["s.*"], max_msgs: 10,
      description: "orders", metadata: { team: "a" }, allow_direct: true });
    for (const s of ["s.a", "s.b", "s.c"]) await bed.publish(s, s);
    await bed.api("$JS.API.STREAM.MSG.DELETE.S", { seq: 2 });
    const before = await bed.api("$JS.API.STREAM.INFO.S");
    bed.clock.advance(5n * SECOND);
    await bed.restart();
    const after = await bed.api("$JS.API.STREAM.INFO.S");
    expect(after.config).toEqual(before.config);
    expect(after.created).toBe(before.created);
    expect(after.state).toEqual(before.state);
    expect((await bed.request("$JS.API.DIRECT.GET.S.s.c")).text).toBe("s.c");
    expect((await bed.publish("s.d")).seq).toBe(4);
  });

  test("memory streams do not survive, as in nats-server", async () => {
    await bed.api("$JS.API.STREAM.CREATE.M", { name: "M", storage: "memory" });
    await bed.restart();
    expect((await bed.api("$JS.API.STREAM.NAMES")).streams).toBeNull();
  });

  test("the duplicate window and last msg id are rebuilt from the stored messages", async () => {
    await bed.api("$JS.API.STREAM.CREATE.S", { name: "S", subjects: ["s"],
      duplicate_window: Number(10n * SECOND) });
    await bed.publish("s", "1", { "Nats-Msg-Id": "a" });
    await bed.publish("s", "2", { "Nats-Msg-Id": "b" });
    bed.clock.advance(2n * SECOND);
    await bed.restart();
    expect(await bed.publish("s", "1", { "Nats-Msg-Id": "a" })).toEqual(
      { stream: "S", seq: 1, duplicate: true });
    expect((await bed.publish("s", "3", { "Nats-Expected-Last-Msg-Id": "b" })).seq).toBe(3);
    bed.clock.advance(20n * SECOND);
    expect((await bed.publish("s", "1", { "Nats-Msg-Id": "a" })).seq).toBe(4);
  });

  test("first_seq is not applied again to a recovered stream", async () => {
    await bed.api("$JS.API.STREAM.CREATE.F", { name: "F", first_seq: 50 });
    await bed.publish("F");
    await bed.api("$JS.API.STREAM.PURGE.F");
    await bed.restart();
    expect((await bed.api("$JS.API.STREAM.INFO.F")).state).toMatchObject(
      { messages: 0, first_seq: 51, last_seq: 50 });
  });

  test("a damaged meta.inf is reported and skipped; other streams recover", async () => {
    await bed.api("$JS.API.STREAM.CREATE.S", { name: "S" });
    const bad = join(bed.dir, "jetstream", "$G", "streams", "BAD");
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, "meta.inf"), "{not json");
    await bed.restart();
    expect((await bed.api("$JS.API.STREAM.NAMES")).streams).toEqual(["S"]);
    expect(bed.warnings.join("\n")).toContain("Error recovering stream '$G > BAD'");
  });

  test("an update is persisted", async () => {
    await bed.api("$JS.API.STREAM.CREATE.S", { name: "S", subjects: ["a"] });
    await bed.api("$JS.API.STREAM.UPDATE.S", { name: "S", subjects: ["b"], max_msgs: 5 });
    await bed.restart();
    expect((await bed.api("$JS.API.STREAM.INFO.S")).config).toMatchObject(
      { subjects: ["b"], max_msgs: 5 });
  });
});
