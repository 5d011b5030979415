import { beforeEach, describe, expect, test } from "bun:test";
import { connz, type ConnzOptions, parseConnzQuery } from "./connz.ts";
import { SORT_KEYS } from "./connz_sort.ts";
import { FakeSource } from "./fake_source.ts";
import { goJson } from "./go_json.ts";
import { BadQueryError, ConnState, Query } from "./query.ts";
import { WallClock } from "./wall_clock.ts";

type Json = Record<string, unknown> & { connections: Record<string, unknown>[] | null };

let source: FakeSource;
let clock: WallClock;

function options(text = ""): ConnzOptions {
  return parseConnzQuery(new Query(new URLSearchParams(text)));
}

/** Runs /connz and reads the result back from its JSON text, as a client would. */
function run(text = ""): Json {
  return JSON.parse(goJson(connz(source, options(text), clock))) as Json;
}

function cids(text = ""): number[] {
  return (run(text).connections ?? []).map((c) => c.cid as number);
}

/** Three open connections with distinct counters, one closed one. */
beforeEach(() => {
  source = new FakeSource();
  clock = new WallClock(source.clock);
  const a = source.connect(1, {
    connect: { name: "a", lang: "go", version: "1.0", user: "alice" },
    inMsgs: 5, inBytes: 50, outMsgs: 1, outBytes: 10, rttMs: 0.5,
  });
  source.subscribe(a, "foo", "1");
  source.clock.ms += 1000;
  const b = source.connect(2, {
    connect: { name: "b", user: "bob" }, inMsgs: 1, inBytes: 200, outMsgs: 7, outBytes: 70,
    rttMs: 3, outbound: { pendingBytes: 99 },
  });
  source.subscribe(b, "bar.*", "1", "q");
  source.subscribe(b, "baz", "2");
  source.clock.ms += 1000;
  const c = source.connect(3, { inMsgs: 3, inBytes: 30, outMsgs: 3, outBytes: 300, rttMs: 1 });
  c.lastActivityMs = source.clock.ms - 5000;
  source.clock.ms += 1000;
  const d = source.connect(4, { connect: { name: "gone" }, inMsgs: 9 });
  source.subscribe(d, "gone.>", "7");
  source.clock.ms += 2000;
  source.close(d, "Client Closed");
  source.clock.ms += 500;
});

describe("/connz basics", () => {
  test("lists open connections by cid with Go's header fields", () => {
    const result = run();
    expect(Object.keys(result)).toEqual([
      "server_id", "now", "num_connections", "total", "offset", "limit", "connections",
    ]);
    expect(result.num_connections).toBe(3);
    expect(result.total).toBe(3);
    expect(result.limit).toBe(1024);
    expect(cids()).toEqual([1, 2, 3]);
  });

  test("ConnInfo fields in Go's order, with Go's text formats", () => {
    const b = run().connections![1];
    expect(Object.keys(b)).toEqual([
      "cid", "kind", "type", "ip", "port", "start", "last_activity", "rtt", "uptime", "idle",
      "pending_bytes", "in_msgs", "out_msgs", "in_bytes", "out_bytes", "subscriptions", "name",
    ]);
    expect(b.rtt).toBe("3ms");
    expect(b.uptime).toBe("4s");
    expect(b.pending_bytes).toBe(99);
    expect(b.subscriptions).toBe(2);
    expect(run().connections![0].rtt).toBe("500µs");
  });

  test("subs=1 lists subjects, subs=detail lists SubDetail", () => {
    expect(run("subs=1").connections![1].subscriptions_list).toEqual(["bar.*", "baz"]);
    expect(run("subs=detail").connections![1].subscriptions_list_detail).toEqual([
      { subject: "bar.*", qgroup: "q", sid: "1", msgs: 0, cid: 2 },
      { subject: "baz", sid: "2", msgs: 0, cid: 2 },
    ]);
    expect(run().connections![1].subscriptions_list).toBeUndefined();
  });

  test("auth=1 adds the user and the account name tag", () => {
    const a = run("auth=1").connections![0];
    expect(a.authorized_user).toBe("alice");
    expect(a.name_tag).toBe("$G");
    expect(a.account).toBeUndefined(); // the global account is not named
  });
});

describe("/connz sorting", () => {
  const expected: Record<string, number[]> = {
    cid: [1, 2, 3], start: [1, 2, 3], subs: [2, 1, 3], pending: [2, 1, 3],
    msgs_to: [2, 3, 1], msgs_from: [1, 3, 2], bytes_to: [3, 2, 1], bytes_from: [2, 1, 3],
    last: [2, 1, 3], idle: [3, 1, 2], uptime: [3, 2, 1], rtt: [2, 3, 1],
  };
  for (const key of SORT_KEYS) {
    if (key === "stop" || key === "reason") continue;
    test(`sort=${key}`, () => expect(cids(`sort=${key}`)).toEqual(expected[key]));
  }

  test("stop and reason only on closed connections", () => {
    expect(() => run("sort=stop")).toThrow(
      new BadQueryError("sort by stop only valid on closed connections"),
    );
    expect(() => run("sort=reason&state=all")).toThrow(
      new BadQueryError("sort by reason only valid on closed connections"),
    );
    expect(cids("sort=stop&state=closed")).toEqual([4]);
    expect(cids("sort=reason&state=closed")).toEqual([4]);
  });

  test("unknown keys are refused", () => {
    expect(() => run("sort=nope")).toThrow(new BadQueryError("invalid sorting option: nope"));
  });
});

describe("/connz paging and filters", () => {
  test("offset and limit page the sorted list, total stays whole", () => {
    const page = run("sort=msgs_to&offset=1&limit=1");
    expect(page.connections!.map((c) => c.cid)).toEqual([3]);
    expect([page.num_connections, page.total, page.offset, page.limit]).toEqual([1, 3, 1, 1]);
    expect(run("offset=10").connections).toEqual([]);
    expect(run("offset=-5").offset).toBe(0);
    expect(run("limit=0").limit).toBe(1024);
  });

  test("cid selects one connection and forces limit 1", () => {
    const one = run("cid=2");
    expect(one.connections!.map((c) => c.cid)).toEqual([2]);
    expect(one.limit).toBe(1);
    expect(cids("cid=4")).toEqual([]);
    expect(cids("cid=4&state=closed")).toEqual([4]);
    expect(cids("cid=4&state=all")).toEqual([4]);
  });

  test("state=closed reports stop, reason and the held subscriptions", () => {
    const closed = run("state=closed&subs=detail").connections![0];
    expect(closed.reason).toBe("Client Closed");
    expect(closed.uptime).toBe("2s");
    expect(closed.subscriptions).toBe(1);
    expect(closed.subscriptions_list_detail).toEqual([
      { account: "$G", account_tag: "$G", subject: "gone.>", sid: "7", msgs: 0, cid: 4 },
    ]);
    expect(typeof closed.stop).toBe("string");
  });

  test("state=all merges open and closed", () => {
    expect(cids("state=all")).toEqual([1, 2, 3, 4]);
    expect(run("state=all").total).toBe(4);
  });

  test("user filter keeps the unfiltered total, as Go does", () => {
    const result = run("user=bob");
    expect(result.connections!.map((c) => c.cid)).toEqual([2]);
    expect(result.total).toBe(3);
  });

  test("acc filters by account; an unknown account gives Go's empty answer", () => {
    const other = source.addAccount("OTHER");
    source.connect(9, { account: other });
    expect(cids("acc=OTHER")).toEqual([9]);
    expect(run("acc=OTHER").total).toBe(1);
    expect(run("acc=nope")).toMatchObject({ server_id: "", total: 0, connections: null });
  });

  test("closed connections of the global account do not match acc=$G (Go quirk)", () => {
    expect(cids("acc=$G&state=closed")).toEqual([]);
  });

  test("mqtt_client filters out every non-MQTT connection", () => {
    expect(cids("mqtt_client=x")).toEqual([]);
  });

  test("query decoding order: the first bad parameter is reported", () => {
    expect(() => options("auth=x&limit=y")).toThrow(/for 'auth'/);
    expect(options("state=closed").state).toBe(ConnState.closed);
  });
});
