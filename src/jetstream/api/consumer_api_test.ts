import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { TestBed } from "../_test_bed.ts";

let bed: TestBed;
beforeEach(async () => {
  bed = await TestBed.start();
  await bed.api("$JS.API.STREAM.CREATE.S", { name: "S", subjects: ["s.>"] });
});
afterEach(async () => {
  await bed.close();
});

type Json = Record<string, unknown>;
const errorOf = (r: Json) => r.error as { code: number; err_code: number; description: string };
const codeOf = (r: Json) => errorOf(r)?.err_code;

function create(subject: string, config: Json, extra: Json = {}): Promise<Json> {
  return bed.api(`$JS.API.CONSUMER.${subject}`, { stream_name: "S", config, ...extra });
}

describe("CONSUMER.CREATE", () => {
  test("answers Go's consumer_create_response, byte for byte", async () => {
    const r = await bed.request("$JS.API.CONSUMER.CREATE.S.d",
      '{"stream_name":"S","config":{"durable_name":"d","ack_policy":"explicit"}}');
    expect(r.text).toBe('{"type":"io.nats.jetstream.api.v1.consumer_create_response",' +
      '"stream_name":"S","name":"d","created":"2023-11-14T22:13:20Z","config":{' +
      '"durable_name":"d","name":"d","deliver_policy":"all","ack_policy":"explicit",' +
      '"ack_wait":30000000000,"max_deliver":-1,"replay_policy":"instant","max_waiting":512,' +
      '"max_ack_pending":1000,"num_replicas":0,"metadata":{"_nats.level":"4",' +
      '"_nats.req.level":"0","_nats.ver":"2.14.0"}},"delivered":{"consumer_seq":0,' +
      '"stream_seq":0},"ack_floor":{"consumer_seq":0,"stream_seq":0},"num_ack_pending":0,' +
      '"num_redelivered":0,"num_waiting":0,"num_pending":0,"ts":"2023-11-14T22:13:20Z"}');
  });

  test("the three subject forms and DURABLE.CREATE name the consumer", async () => {
    const legacy = await create("CREATE.S", { ack_policy: "explicit" });
    expect(legacy.name).toMatch(/^[0-9A-Za-z]{8}$/);
    expect((legacy.config as Json).inactive_threshold).toBe(5_000_000_000);
    expect((await create("CREATE.S.named", { ack_policy: "explicit" })).name).toBe("named");
    const filtered = await create("CREATE.S.f.s.a.>", { filter_subject: "s.a.>" });
    expect([filtered.name, (filtered.config as Json).filter_subject]).toEqual(["f", "s.a.>"]);
    const durable = await create("DURABLE.CREATE.S.old", { durable_name: "old" });
    expect(durable.name).toBe("old");
    const names = await bed.api("$JS.API.CONSUMER.NAMES.S");
    expect(names.consumers).toEqual([legacy.name, "f", "named", "old"].sort());
  });

  test("refuses what the request and its subject disagree on, with Go's err_codes", async () => {
    const cases: Array<[string, Json, Json, number]> = [
      ["CREATE.S.x", {}, { stream_name: "T" }, 10056],
      ["CREATE.S.a/b", {}, {}, 10127],
      ["DURABLE.CREATE.S", {}, {}, 10016],
      ["DURABLE.CREATE.S.d", {}, {}, 10018],
      ["DURABLE.CREATE.S.d", { durable_name: "e" }, {}, 10017],
      ["CREATE.S.d", { durable_name: "e" }, {}, 10017],
      ["CREATE.S", { durable_name: "e" }, {}, 10020],
      ["CREATE.S.d.s.a", { filter_subjects: ["s.a"] }, {}, 10137],
      ["CREATE.S.d.s.a", { filter_subject: "s.b" }, {}, 10131],
      ["CREATE.S.d", { num_replicas: 3 }, {}, 10074],
      ["CREATE.NOPE.d", {}, { stream_name: "NOPE" }, 10059],
    ];
    for (const [subject, config, extra, code] of cases) {
      expect([subject, codeOf(await create(subject, config, extra))]).toEqual([subject, code]);
    }
  });

  test("checks the configuration as nats-server does", async () => {
    const cases: Array<[Json, number]> = [
      [{ deliver_subject: "x.*" }, 10079],
      [{ deliver_subject: "s.x" }, 10081],
      [{ deliver_subject: "d", max_waiting: 5 }, 10080],
      [{ deliver_subject: "d", idle_heartbeat: 50_000_000 }, 10083],
      [{ deliver_subject: "d", flow_control: true }, 10108],
      [{ ack_policy: "explicit", idle_heartbeat: 1_000_000_000 }, 10088],
      [{ ack_policy: "explicit", flow_control: true }, 10089],
      [{ ack_policy: "explicit", rate_limit_bps: 100 }, 10086],
      [{ ack_policy: "explicit", backoff: [1e9, 2e9], max_deliver: 1 }, 10116],
      [{ ack_policy: "explicit", filter_subject: "s.a", filter_subjects: ["s.b"] }, 10136],
      [{ ack_policy: "explicit", filter_subjects: ["s.>", "s.a"] }, 10138],
      [{ ack_policy: "explicit", filter_subjects: [""] }, 10139],
      [{ ack_policy: "explicit", deliver_policy: "by_start_sequence" }, 10094],
      [{ ack_policy: "explicit", deliver_policy: "last_per_subject" }, 10094],
      [{ ack_policy: "explicit", opt_start_seq: 4 }, 10094],
      [{ ack_policy: "explicit", sample_freq: "x%" }, 10095],
      [{ ack_policy: "explicit", max_request_expires: 1 }, 10025],
      [{ ack_policy: "explicit", max_expires: 1 }, 10115],
      [{ ack_policy: "explicit", priority_policy: "overflow" }, 10159],
      [{ ack_policy: "explicit", priority_groups: ["g"] }, 10196],
      [{ ack_policy: "explicit", priority_policy: "pinned_client", priority_groups: ["g g"] },
        10162],
      [{ ack_policy: "explicit", ack_wait: -1 }, 10183],
      [{ ack_policy: "none", deliver_subject: "d", max_ack_pending: 5 }, 10082],
      [{ ack_policy: "explicit", description: "x".repeat(4097) }, 10107],
      [{ ack_policy: "explicit", name: "a.b" }, 10052],
    ];
    for (const [config, code] of cases) {
      expect([config, codeOf(await create("CREATE.S", config))]).toEqual([config, code]);
    }
  });

  test("pedantic mode refuses fix-ups", async () => {
    const r = await create("CREATE.S.p", { ack_policy: "explicit", max_deliver: -5 },
      { pedantic: true });
    expect(errorOf(r)).toEqual({ code: 400, err_code: 10157,
      description: "pedantic mode: max_deliver must be set to -1" });
  });

  test("create vs update actions and the update rules", async () => {
    const cfg = { durable_name: "d", ack_policy: "explicit" };
    expect(codeOf(await create("CREATE.S.d", cfg, { action: "update" }))).toBe(10149);
    await create("CREATE.S.d", cfg, { action: "create" });
    expect(codeOf(await create("CREATE.S.d", cfg, { action: "create" }))).toBeUndefined();
    const changed = { ...cfg, max_ack_pending: 5 };
    expect(codeOf(await create("CREATE.S.d", changed, { action: "create" }))).toBe(10148);
    const updated = await create("CREATE.S.d", changed, { action: "update" });
    expect((updated.config as Json).max_ack_pending).toBe(5);
    const refused = await create("CREATE.S.d", { ...cfg, deliver_policy: "new" });
    expect(errorOf(refused)).toEqual({ code: 500, err_code: 10012,
      description: "deliver policy can not be updated" });
    const toPush = await create("CREATE.S.d", { ...cfg, deliver_subject: "out" });
    expect(errorOf(toPush).description).toBe("can not update pull consumer to push based");
  });

  test("max_consumers counts consumers", async () => {
    await bed.api("$JS.API.STREAM.CREATE.L", { name: "L", subjects: ["l"], max_consumers: 1 });
    const add = (name: string) => bed.api(`$JS.API.CONSUMER.CREATE.L.${name}`,
      { stream_name: "L", config: { ack_policy: "explicit" } });
    expect(codeOf(await add("a"))).toBeUndefined();
    expect(codeOf(await add("b"))).toBe(10026);
  });

  test("work-queue streams want explicit acks, deliver all and disjoint filters", async () => {
    await bed.api("$JS.API.STREAM.CREATE.W", { name: "W", subjects: ["w.>"],
      retention: "workqueue" });
    const add = (name: string, config: Json) => bed.api(`$JS.API.CONSUMER.CREATE.W.${name}`,
      { stream_name: "W", config: { ack_policy: "explicit", ...config } });
    expect(codeOf(await add("a", { ack_policy: "none" }))).toBe(10084);
    expect(codeOf(await add("a", { ack_policy: "all" }))).toBe(10098);
    expect(codeOf(await add("a", { deliver_policy: "new" }))).toBe(10101);
    expect(codeOf(await add("a", { filter_subject: "w.a.>" }))).toBeUndefined();
    expect(codeOf(await add("b", {}))).toBe(10099);
    expect(codeOf(await add("b", { filter_subject: "w.a.x" }))).toBe(10100);
    expect(codeOf(await add("b", { filter_subject: "w.b" }))).toBeUndefined();
  });
});

describe("CONSUMER.NAMES / LIST / INFO / DELETE", () => {
  test("names and list are sorted and paged; errors keep the paging fields", async () => {
    for (const n of ["c", "a", "b"]) await create(`CREATE.S.${n}`, { ack_policy: "explicit" });
    const names = await bed.api("$JS.API.CONSUMER.NAMES.S", { offset: 1 });
    expect(names).toMatchObject({ total: 3, offset: 1, limit: 1024, consumers: ["b", "c"] });
    const list = await bed.api("$JS.API.CONSUMER.LIST.S");
    expect(list).toMatchObject({ total: 3, offset: 0, limit: 256 });
    expect((list.consumers as Json[]).map((c) => c.name)).toEqual(["a", "b", "c"]);
    const missing = await bed.request("$JS.API.CONSUMER.NAMES.X");
    expect(missing.text).toBe('{"type":"io.nats.jetstream.api.v1.consumer_names_response",' +
      '"error":{"code":404,"err_code":10059,"description":"stream not found"},"total":0,' +
      '"offset":0,"limit":0,"consumers":[]}');
  });

  test("info wants an empty request; delete answers success; unknown is not found", async () => {
    await create("CREATE.S.d", { ack_policy: "explicit" });
    expect(codeOf(await bed.api("$JS.API.CONSUMER.INFO.S.d", { x: 1 }))).toBe(10038);
    expect((await bed.api("$JS.API.CONSUMER.INFO.S.d")).name).toBe("d");
    expect(codeOf(await bed.api("$JS.API.CONSUMER.INFO.S.zz"))).toBe(10014);
    const deleted = await bed.request("$JS.API.CONSUMER.DELETE.S.d");
    expect(deleted.text).toBe(
      '{"type":"io.nats.jetstream.api.v1.consumer_delete_response","success":true}');
    expect(codeOf(await bed.api("$JS.API.CONSUMER.DELETE.S.d"))).toBe(10014);
  });
});

describe("CONSUMER.PAUSE / UNPIN / RESET", () => {
  test("pause until a time, then resume", async () => {
    await create("CREATE.S.d", { ack_policy: "explicit" });
    const until = "2023-11-14T22:14:20Z";
    const r = await bed.api("$JS.API.CONSUMER.PAUSE.S.d", { pause_until: until });
    expect(r).toMatchObject({ paused: true, pause_until: until, pause_remaining: 60_000_000_000 });
    const info = await bed.api("$JS.API.CONSUMER.INFO.S.d");
    expect(info).toMatchObject({ paused: true, pause_remaining: 60_000_000_000 });
    const resumed = await bed.api("$JS.API.CONSUMER.PAUSE.S.d");
    expect(resumed).toMatchObject({ paused: false, pause_until: "0001-01-01T00:00:00Z" });
  });

  test("unpin checks the group", async () => {
    await create("CREATE.S.p", { ack_policy: "explicit", priority_policy: "pinned_client",
      priority_groups: ["g"] });
    expect(codeOf(await bed.api("$JS.API.CONSUMER.UNPIN.S.p", {}))).toBe(10025);
    expect(codeOf(await bed.api("$JS.API.CONSUMER.UNPIN.S.p", { group: "x y" }))).toBe(10162);
    expect(codeOf(await bed.api("$JS.API.CONSUMER.UNPIN.S.p", { group: "h" }))).toBe(10160);
    const ok = await bed.request("$JS.API.CONSUMER.UNPIN.S.p", JSON.stringify({ group: "g" }));
    expect(ok.text).toBe('{"type":"io.nats.jetstream.api.v1.consumer_unpin_response"}');
  });

  test("reset starts the consumer again where asked", async () => {
    await create("CREATE.S.d", { ack_policy: "explicit" });
    for (let i = 0; i < 3; i++) await bed.publish(`s.${i}`, `m${i}`);
    await bed.requestMany("$JS.API.CONSUMER.MSG.NEXT.S.d", "3", undefined, 3);
    const r = await bed.api("$JS.API.CONSUMER.RESET.S.d", { seq: 2 });
    expect(r).toMatchObject({ type: "io.nats.jetstream.api.v1.consumer_reset_response",
      reset_seq: 2, num_pending: 2, num_ack_pending: 0 });
    const next = await bed.request("$JS.API.CONSUMER.MSG.NEXT.S.d", "");
    expect(next.subject).toBe("s.1");
  });
});
