import { describe, expect, test } from "bun:test";
import { FakeSource } from "./fake_source.ts";
import { goJson } from "./go_json.ts";
import { BadQueryError, Query } from "./query.ts";
import {
  isValidLiteralSubject, literalMatches, mergeStats, parseSubszQuery, subsz,
} from "./subsz.ts";
import { WallClock } from "./wall_clock.ts";

describe("subject helpers", () => {
  test("literal subjects have no empty or wildcard tokens", () => {
    expect(isValidLiteralSubject("foo.bar")).toBe(true);
    expect(isValidLiteralSubject("foo bar")).toBe(true); // Go does not check spaces here
    for (const bad of ["", "foo.", ".foo", "foo..bar", "foo.*", ">", "a.>"]) {
      expect(isValidLiteralSubject(bad)).toBe(false);
    }
  });

  test("a literal matches patterns with * and >", () => {
    expect(literalMatches("foo.bar", "foo.bar")).toBe(true);
    expect(literalMatches("foo.bar", "foo.*")).toBe(true);
    expect(literalMatches("foo.bar", "*.*")).toBe(true);
    expect(literalMatches("foo.bar.baz", "foo.>")).toBe(true);
    expect(literalMatches("foo", "foo.>")).toBe(false);
    expect(literalMatches("foo.bar", "foo")).toBe(false);
    expect(literalMatches("foo", "foo.*")).toBe(false);
    expect(literalMatches("foo.bar", ">")).toBe(true);
  });
});

describe("mergeStats", () => {
  test("sums counters, keeps the largest fan-out, weights rates by matches", () => {
    const merged = mergeStats([
      { numSubs: 1, numCache: 2, numInserts: 3, numRemoves: 1, numMatches: 4, cacheHitRate: 0.5,
        maxFanout: 2, avgFanout: 1 },
      { numSubs: 2, numCache: 0, numInserts: 2, numRemoves: 0, numMatches: 12,
        cacheHitRate: 0.25, maxFanout: 5, avgFanout: 3 },
    ]);
    expect(merged).toEqual({
      numSubs: 3, numCache: 2, numInserts: 5, numRemoves: 1, numMatches: 16,
      cacheHitRate: (2 + 3) / 16, maxFanout: 5, avgFanout: (4 + 36) / 16,
    });
  });
});

describe("/subsz", () => {
  function setup() {
    const source = new FakeSource();
    const a = source.connect(1);
    source.subscribe(a, "foo", "1");
    source.subscribe(a, "foo.*", "2", "workers");
    source.subscribe(a, "bar", "3");
    const other = source.addAccount("B");
    const b = source.connect(2, { account: other });
    source.subscribe(b, "foo", "9");
    source.globalAccount.sublist.match("foo");
    return { source, clock: new WallClock(source.clock) };
  }
  const run = (text: string) => {
    const { source, clock } = setup();
    const query = new Query(new URLSearchParams(text));
    return JSON.parse(goJson(subsz(source, parseSubszQuery(query), clock)));
  };

  test("without subs: Go's fields in order, no list", () => {
    const result = run("");
    expect(Object.keys(result)).toEqual([
      "server_id", "now", "num_subscriptions", "num_cache", "num_inserts", "num_removes",
      "num_matches", "cache_hit_rate", "max_fanout", "avg_fanout", "total", "offset", "limit",
    ]);
    expect(result.num_subscriptions).toBe(4);
    expect(result.num_matches).toBe(1);
    expect(result.total).toBe(0);
  });

  test("subs=1 lists SubDetail with account and tag", () => {
    const result = run("subs=1");
    expect(result.total).toBe(4);
    expect(result.subscriptions_list[1]).toEqual({
      account: "$G", account_tag: "$G", subject: "foo.*", qgroup: "workers", sid: "2", msgs: 0,
      cid: 1,
    });
  });

  test("test= keeps the subscriptions a publish would reach", () => {
    const result = run("subs=1&test=foo");
    expect(result.subscriptions_list.map((s: { sid: string }) => s.sid)).toEqual(["1", "9"]);
  });

  test("acc= restricts stats and list to one account", () => {
    const result = run("subs=1&acc=B");
    expect(result.num_subscriptions).toBe(1);
    expect(result.subscriptions_list.map((s: { account: string }) => s.account)).toEqual(["B"]);
  });

  test("offset and limit page the list", () => {
    const result = run("subs=1&offset=1&limit=2");
    expect(result.subscriptions_list.map((s: { sid: string }) => s.sid)).toEqual(["2", "3"]);
    expect([result.total, result.offset, result.limit]).toEqual([4, 1, 2]);
  });

  test("a wildcard test subject is refused", () => {
    expect(() => run("test=foo.*")).toThrow(
      new BadQueryError("invalid test subject, must be valid publish subject: foo.*"),
    );
  });
});
