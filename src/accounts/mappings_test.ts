import { describe, expect, test } from "bun:test";
import { PubArgs } from "../protocol/parser.ts";
import { mappingProblem, MappingError, pubArgsFor, SubjectMapper } from "./mappings.ts";
import type { MappingConfig } from "./types.ts";

const one = (source: string, subject: string): MappingConfig =>
  ({ source, destinations: [{ subject, weight: 100, cluster: "" }] });

function weighted(source: string, ...dests: [string, number][]): MappingConfig {
  return { source, destinations: dests.map(([subject, weight]) => ({ subject, weight,
    cluster: "" })) };
}

/** A random source returning the given values in turn. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}

describe("SubjectMapper", () => {
  test("literal and wildcard sources map; other subjects are left alone", () => {
    const mapper = new SubjectMapper([one("foo", "bar"),
      one("orders.*", "orders.{{wildcard(1)}}.processed"), one("a.>", "b.>")]);
    expect(mapper.select("foo")).toBe("bar");
    expect(mapper.select("orders.7")).toBe("orders.7.processed");
    expect(mapper.select("a.x.y")).toBe("b.x.y");
    expect(mapper.select("other")).toBeNull();
    expect(mapper.size).toBe(3);
  });

  test("weights pick destinations; the source keeps what is left of 100", () => {
    const mapper = new SubjectMapper([weighted("w", ["w.v1", 30], ["w.v2", 50])],
      sequence(0.1, 0.35, 0.85));
    // The source takes the missing 20; sorted by weight the bounds are 20, 50 and 100.
    expect([mapper.select("w"), mapper.select("w"), mapper.select("w")])
      .toEqual(["w", "w.v1", "w.v2"]);
  });

  test("listing the source explicitly makes the missing weight a loss", () => {
    const mapper = new SubjectMapper([weighted("l", ["l", 20], ["l.b", 30])], sequence(0.9));
    expect(mapper.select("l")).toBe("");
  });

  test("a later mapping of the same source replaces the earlier one", () => {
    const mapper = new SubjectMapper([one("x", "y"), one("x", "z")]);
    expect(mapper.select("x")).toBe("z");
    expect(mapper.size).toBe(1);
  });

  test("mapArgs rewrites the subject and keeps reply and sizes", () => {
    const mapper = new SubjectMapper([one("foo", "bar.baz")]);
    const args = pubArgsFor("foo", "_INBOX.1", Object.assign(new PubArgs(),
      { headerBytes: 12, totalBytes: 20 }));
    const mapped = mapper.mapArgs(args)!;
    const text = new TextDecoder();
    expect(text.decode(mapped.argBuf.subarray(mapped.subjectStart, mapped.subjectEnd)))
      .toBe("bar.baz");
    expect(text.decode(mapped.argBuf.subarray(mapped.replyStart, mapped.replyEnd)))
      .toBe("_INBOX.1");
    expect([mapped.headerBytes, mapped.totalBytes]).toEqual([12, 20]);
    expect(mapper.mapArgs(pubArgsFor("nope", "", args))).toBeNull();
  });

  test("nats-server's errors", () => {
    expect(mappingProblem(weighted("a", ["b", 60], ["c", 50])))
      .toBe("total weight needs to be <= 100");
    expect(mappingProblem(weighted("a", ["b", 10], ["b", 10])))
      .toBe('duplicate entry for "b"');
    expect(mappingProblem(one("a.*", "b.$2")))
      .toBe("invalid mapping destination: wildcard index out of range in $2: [2]");
    expect(mappingProblem(one("a", "b"))).toBeNull();
    expect(() => new SubjectMapper([one("a..b", "c")])).toThrow(MappingError);
  });
});

describe("cluster-scoped destinations", () => {
  const scoped: MappingConfig = { source: "cs", destinations: [
    { subject: "cs.c1", weight: 100, cluster: "c1" },
    { subject: "cs.c2a", weight: 40, cluster: "c2" },
    { subject: "cs.any", weight: 100, cluster: "" },
  ] };

  test("the server's cluster picks its destinations", () => {
    expect(new SubjectMapper([scoped], Math.random, "c1").select("cs")).toBe("cs.c1");
  });

  test("a cluster's missing weight goes to the source, as for unscoped lists", () => {
    const mapper = new SubjectMapper([scoped], sequence(0.1, 0.5), "c2");
    expect([mapper.select("cs"), mapper.select("cs")]).toEqual(["cs.c2a", "cs"]);
  });

  test("no cluster name, or another cluster, falls back to the unscoped destinations", () => {
    expect(new SubjectMapper([scoped]).select("cs")).toBe("cs.any");
    expect(new SubjectMapper([scoped], Math.random, "c9").select("cs")).toBe("cs.any");
  });

  test("only scoped destinations: elsewhere the subject maps to itself", () => {
    const only: MappingConfig = { source: "o.*", destinations: [
      { subject: "o.{{wildcard(1)}}.c1", weight: 100, cluster: "c1" }] };
    expect(new SubjectMapper([only]).select("o.x")).toBe("o.x");
    expect(new SubjectMapper([only], Math.random, "c1").select("o.x")).toBe("o.x.c1");
  });

  test("each cluster's weights are checked on their own", () => {
    expect(mappingProblem({ source: "t", destinations: [
      { subject: "t.a", weight: 80, cluster: "c1" }, { subject: "t.b", weight: 80, cluster: "c2" },
    ] })).toBeNull();
    expect(mappingProblem({ source: "t", destinations: [
      { subject: "t.a", weight: 80, cluster: "c1" }, { subject: "t.b", weight: 30, cluster: "c1" },
    ] })).toBe("total weight needs to be <= 100");
  });
});
