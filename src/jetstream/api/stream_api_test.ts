import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { TestBed } from "../_test_bed.ts";

let bed: TestBed;
beforeEach(async () => {
  bed = await TestBed.start();
});
afterEach(async () => {
  await bed.close();
});

const create = (name: string, cfg: Record<string, unknown> = {}) =>
  bed.api(`$JS.API.STREAM.CREATE.${name}`, { name, ...cfg });
const errorOf = (r: Record<string, unknown>) => r.error as
  { code: number; err_code: number; description: string } | undefined;

describe("STREAM.CREATE", () => {
  test("answers Go's stream_create_response, byte for byte", async () => {
    const r = await bed.request("$JS.API.STREAM.CREATE.S", '{"name":"S","subjects":["s.>"]}');
    expect(r.text).toBe('{"type":"io.nats.jetstream.api.v1.stream_create_response",' +
      '"config":{"name":"S","subjects":["s.\\u003e"],"retention":"limits","max_consumers":-1,' +
      '"max_msgs":-1,"max_bytes":-1,"max_age":0,"max_msgs_per_subject":-1,"max_msg_size":-1,' +
      '"discard":"old","storage":"file","num_replicas":1,"duplicate_window":120000000000,' +
      '"compression":"none","allow_direct":false,"mirror_direct":false,"sealed":false,' +
      '"deny_delete":false,"deny_purge":false,"allow_rollup_hdrs":false,"consumer_limits":{},' +
      '"allow_msg_ttl":false,"metadata":{"_nats.level":"4","_nats.req.level":"0",' +
      '"_nats.ver":"2.14.0"}},"created":"2023-11-14T22:13:20Z","state":{"messages":0,' +
      '"bytes":0,"first_seq":0,"first_ts":"0001-01-01T00:00:00Z","last_seq":0,' +
      '"last_ts":"0001-01-01T00:00:00Z","consumer_count":0},"ts":"2023-11-14T22:13:20Z",' +
      '"did_create":true}');
  });

  test("creating the same stream again returns it; a different one is refused", async () => {
    await create("S", { subjects: ["a"] });
    bed.clock.advance(1_000_000_000n);
    const again = await create("S", { subjects: ["a"] });
    expect(again.created).toBe("2023-11-14T22:13:20Z");
    expect(again.did_create).toBe(true);
    expect(errorOf(await create("S", { subjects: ["b"] }))).toEqual({ code: 400,
      err_code: 10058, description: "stream name already in use with a different configuration" });
  });

  test("refuses overlapping subjects, mismatched names and path separators", async () => {
    await create("A", { subjects: ["orders.*"] });
    expect(errorOf(await create("B", { subjects: ["orders.new"] }))?.err_code).toBe(10065);
    const mismatch = await bed.api("$JS.API.STREAM.CREATE.X", { name: "Y" });
    expect(errorOf(mismatch)?.err_code).toBe(10056);
    const slash = await bed.api("$JS.API.STREAM.CREATE.a/b", { name: "a/b" });
    expect(errorOf(slash)).toEqual({ code: 400, err_code: 10128,
      description: "Stream name can not contain path separators" });
  });

  test("refuses sealed creates, mirror_direct without a mirror and replicas", async () => {
    expect(errorOf(await create("S", { sealed: true }))?.description)
      .toBe("stream configuration for create can not be sealed");
    expect(errorOf(await create("S", { mirror_direct: true }))?.description)
      .toBe("stream has no mirror but does have mirror direct");
    expect(errorOf(await create("S", { num_replicas: 3 }))).toEqual({ code: 500,
      err_code: 10074, description: "replicas > 1 not supported in non-clustered mode" });
  });

  test("decodes strictly: unknown fields and wrong types are invalid JSON", async () => {
    expect(errorOf(await create("S", { bogus: 1 }))).toEqual({ code: 400, err_code: 10025,
      description: 'invalid JSON: json: unknown field "bogus"' });
    expect(errorOf(await create("S", { max_age: "1h" }))?.description).toBe("invalid JSON: json: " +
      "cannot unmarshal string into Go struct field StreamConfigRequest.max_age of type " +
      "time.Duration");
  });

  test("with strict off, unknown fields are ignored but wrong types still fail", async () => {
    await bed.restart({ strict: false });
    expect((await create("S", { bogus: 1 })).did_create).toBe(true);
    expect(errorOf(await create("T", { max_age: "1h" }))?.err_code).toBe(10025);
  });

  test("refuses what natsd cannot run yet instead of ignoring it", async () => {
    const durable = { name: "O", consumer: { name: "C", deliver_subject: "d" } };
    expect(errorOf(await create("S", { sources: [durable] }))?.description)
      .toBe("durable sourcing is not supported by natsd yet");
  });

  test("answers 412 when the request needs a newer API level", async () => {
    const r = await bed.request("$JS.API.STREAM.CREATE.S", '{"name":"S"}',
      { "Nats-Required-Api-Level": "9" });
    expect(errorOf(r.json)).toEqual({ code: 412, err_code: 10185,
      description: "JetStream minimum api level required" });
  });

  test("publishes the created advisory", async () => {
    const advisories = bed.collect("$JS.EVENT.ADVISORY.STREAM.CREATED.>");
    await create("S");
    expect(advisories[0].subject).toBe("$JS.EVENT.ADVISORY.STREAM.CREATED.S");
    expect(advisories[0].json).toMatchObject({
      type: "io.nats.jetstream.advisory.v1.stream_action", stream: "S", action: "create" });
  });
});

describe("account limits", () => {
  test("max_bytes and max_consumers reservations are checked at create and update", async () => {
    Object.assign(bed.jsa.limits, { max_storage: 1000, max_memory: 500, max_consumers: 4 });
    expect(errorOf(await create("A", { max_bytes: 2000 }))).toEqual({ code: 500,
      err_code: 10047, description: "insufficient storage resources available" });
    expect(errorOf(await create("M", { storage: "memory", max_bytes: 600 }))?.err_code)
      .toBe(10028);
    expect(errorOf(await create("C", { max_consumers: 5 }))?.err_code).toBe(10026);
    await create("B", { subjects: ["b"], max_bytes: 800 });
    expect(errorOf(await create("D", { subjects: ["d"], max_bytes: 300 }))?.err_code)
      .toBe(10047);
    const grown = await bed.api("$JS.API.STREAM.UPDATE.B",
      { name: "B", subjects: ["b"], max_bytes: 1000 });
    expect(grown.error).toBeUndefined();
  });

  test("max_streams and the account's storage at publish time", async () => {
    Object.assign(bed.jsa.limits, { max_streams: 1, max_storage: 100 });
    await create("S", { subjects: ["s"] });
    expect(errorOf(await create("T", { subjects: ["t"] }))?.err_code).toBe(10027);
    await bed.publish("s", "x".repeat(40));
    expect(errorOf(await bed.publish("s", "x".repeat(40)))).toEqual({ code: 400,
      err_code: 10002, description: "resource limits exceeded for account" });
  });
});

describe("STREAM.UPDATE", () => {
  test("applies subject changes at run time", async () => {
    await create("S", { subjects: ["a"] });
    const r = await bed.api("$JS.API.STREAM.UPDATE.S", { name: "S", subjects: ["b"] });
    expect((r.config as { subjects: string[] }).subjects).toEqual(["b"]);
    expect((await bed.publish("b", "x")).seq).toBe(1);
    expect((await bed.request("a", "x")).hdr).toBe("NATS/1.0 503\r\n\r\n");
  });

  test("enforces nats-server's update rules", async () => {
    await create("S", { subjects: ["a"], deny_delete: true });
    await create("T", { subjects: ["t"] });
    const update = async (cfg: Record<string, unknown>) =>
      errorOf(await bed.api("$JS.API.STREAM.UPDATE.S", { name: "S", subjects: ["a"], ...cfg }));
    expect((await update({ storage: "memory" }))?.description)
      .toBe("stream configuration update can not change storage type");
    expect((await update({ retention: "workqueue" }))?.description)
      .toBe("stream configuration update can not change retention policy to/from workqueue");
    expect((await update({ deny_delete: false }))?.description)
      .toBe("stream configuration update can not cancel deny message deletes");
    expect((await update({ subjects: ["a", "t"], deny_delete: true }))?.err_code).toBe(10065);
    expect((await bed.api("$JS.API.STREAM.UPDATE.Q", { name: "Q" })).error)
      .toMatchObject({ err_code: 10059 });
  });

  test("sealing fixes the limits and publishes are refused", async () => {
    await create("S", { subjects: ["a"], max_age: 3_600_000_000_000 });
    const r = await bed.api("$JS.API.STREAM.UPDATE.S", { name: "S", subjects: ["a"],
      sealed: true });
    expect(r.config).toMatchObject({ sealed: true, max_age: 0, discard: "new",
      deny_delete: true, deny_purge: true });
    expect(errorOf(await bed.publish("a", "x"))?.err_code).toBe(10109);
    expect(errorOf(await bed.api("$JS.API.STREAM.UPDATE.S", { name: "S", subjects: ["a"] })))
      .toMatchObject({ description: "stream configuration update can not unseal a sealed stream" });
  });
});

describe("STREAM.NAMES and STREAM.LIST", () => {
  test("sort, filter by subject and page", async () => {
    for (const name of ["C", "A", "B"]) await create(name, { subjects: [`${name}.*`] });
    const names = await bed.api("$JS.API.STREAM.NAMES");
    expect(names).toMatchObject({ total: 3, offset: 0, limit: 1024, streams: ["A", "B", "C"] });
    expect((await bed.api("$JS.API.STREAM.NAMES", { subject: "B.x" })).streams).toEqual(["B"]);
    expect((await bed.api("$JS.API.STREAM.NAMES", { offset: 2 })).streams).toEqual(["C"]);
    const list = await bed.api("$JS.API.STREAM.LIST", { offset: 1 });
    expect(list).toMatchObject({ total: 3, offset: 1, limit: 256 });
    expect((list.streams as { config: { name: string } }[]).map((s) => s.config.name))
      .toEqual(["B", "C"]);
  });

  test("an empty account lists null names and an empty list", async () => {
    expect((await bed.request("$JS.API.STREAM.NAMES")).text).toBe(
      '{"type":"io.nats.jetstream.api.v1.stream_names_response","total":0,"offset":0,' +
      '"limit":1024,"streams":null}');
    expect((await bed.api("$JS.API.STREAM.LIST")).streams).toEqual([]);
  });

  test("bad JSON keeps the paging fields, as Go's response does", async () => {
    const r = await bed.request("$JS.API.STREAM.NAMES", "{x");
    expect(r.text).toBe('{"type":"io.nats.jetstream.api.v1.stream_names_response","error":' +
      '{"code":400,"err_code":10025,"description":"invalid JSON: invalid character \'x\' ' +
      'looking for beginning of object key string at offset 2"},"total":0,"offset":0,' +
      '"limit":0,"streams":null}');
  });
});

describe("STREAM.INFO", () => {
  test("reports state, subjects, deleted details and the cluster leader", async () => {
    await create("S", { subjects: ["s.*"] });
    for (const s of ["s.a", "s.b", "s.a", "s.c"]) await bed.publish(s, "x");
    await bed.api("$JS.API.STREAM.MSG.DELETE.S", { seq: 2 });
    const r = await bed.api("$JS.API.STREAM.INFO.S",
      { subjects_filter: "s.a", deleted_details: true });
    expect(r).toMatchObject({ total: 1, offset: 0, limit: 100000,
      cluster: { leader: "test-server" } });
    expect(r.state).toMatchObject({ messages: 3, first_seq: 1, last_seq: 4, num_subjects: 2,
      subjects: { "s.a": 2 }, num_deleted: 1, deleted: [2], consumer_count: 0 });
  });

  test("an unknown stream is not found, with the paging fields", async () => {
    expect((await bed.request("$JS.API.STREAM.INFO.Q")).text).toBe(
      '{"type":"io.nats.jetstream.api.v1.stream_info_response","error":{"code":404,' +
      '"err_code":10059,"description":"stream not found"},"total":0,"offset":0,"limit":0}');
  });
});

describe("STREAM.DELETE and STREAM.PURGE", () => {
  test("delete refuses a body, removes the stream and its files", async () => {
    await create("S", { subjects: ["a"] });
    await bed.publish("a", "x");
    const dir = join(bed.dir, "jetstream", "$G", "streams", "S");
    expect(existsSync(join(dir, "meta.inf"))).toBe(true);
    expect(errorOf(await bed.api("$JS.API.STREAM.DELETE.S", "x"))?.err_code).toBe(10038);
    expect(await bed.api("$JS.API.STREAM.DELETE.S")).toEqual({
      type: "io.nats.jetstream.api.v1.stream_delete_response", success: true });
    expect(existsSync(dir)).toBe(false);
    expect(errorOf(await bed.api("$JS.API.STREAM.DELETE.S"))?.err_code).toBe(10059);
  });

  test("purge by filter, up to a sequence, or keeping the newest", async () => {
    await create("S", { subjects: ["s.*"] });
    for (const s of ["s.a", "s.b", "s.a", "s.b", "s.a"]) await bed.publish(s, "x");
    expect(await bed.api("$JS.API.STREAM.PURGE.S", { filter: "s.b" })).toMatchObject(
      { success: true, purged: 2 });
    expect((await bed.api("$JS.API.STREAM.PURGE.S", { filter: "s.a", keep: 1 })).purged).toBe(2);
    expect(errorOf(await bed.api("$JS.API.STREAM.PURGE.S", { seq: 2, keep: 1 }))?.err_code)
      .toBe(10003);
    expect((await bed.api("$JS.API.STREAM.PURGE.S", { seq: 5 })).purged).toBe(0);
    expect((await bed.api("$JS.API.STREAM.PURGE.S")).purged).toBe(1);
  });

  test("deny_purge refuses purges", async () => {
    await create("S", { deny_purge: true });
    expect((await bed.request("$JS.API.STREAM.PURGE.S")).text).toBe(
      '{"type":"io.nats.jetstream.api.v1.stream_purge_response","error":{"code":500,' +
      '"err_code":10110,"description":"stream purge not permitted"},"purged":0}');
  });
});

describe("API router", () => {
  test("answers unknown API subjects with a bad request", async () => {
    for (const subject of ["$JS.API.NOPE", "$JS.API.STREAM.NOPE.S"]) {
      expect((await bed.request(subject)).text).toBe('{"type":' +
        '"io.nats.jetstream.api.v1.system_response","error":{"code":400,"err_code":10003,' +
        '"description":"bad request"}}');
    }
  });

  test("$JS.API.INFO reports usage, limits and API counters", async () => {
    await create("S", { subjects: ["a"], storage: "memory", max_bytes: 1000 });
    await bed.publish("a", "hello");
    const info = await bed.api("$JS.API.INFO");
    expect(info).toEqual({
      type: "io.nats.jetstream.api.v1.account_info_response", memory: 22, storage: 0,
      reserved_memory: 1000, reserved_storage: 0, streams: 1, consumers: 0,
      limits: { max_memory: -1, max_storage: -1, max_streams: -1, max_consumers: -1,
        max_ack_pending: -1, memory_max_stream_bytes: -1, storage_max_stream_bytes: -1,
        max_bytes_required: false },
      api: { level: 4, total: 1, errors: 0 },
    });
  });

  test("publishes the API audit advisory", async () => {
    const audits = bed.collect("$JS.EVENT.ADVISORY.API");
    await bed.api("$JS.API.STREAM.INFO.Q");
    expect(audits[0].json).toMatchObject({ type: "io.nats.jetstream.advisory.v1.api_audit",
      server: "test-server", subject: "$JS.API.STREAM.INFO.Q" });
    expect(JSON.parse(audits[0].json.response as string).error.err_code).toBe(10059);
  });
});
