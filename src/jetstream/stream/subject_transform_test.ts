import { describe, expect, test } from "bun:test";
import { SubjectTransform, TransformError, validateMapping } from "./subject_transform.ts";

const map = (src: string, dest: string, subject: string) =>
  SubjectTransform.compile(src, dest).match(subject);

describe("SubjectTransform", () => {
  test("reorders wildcard tokens with $n and {{wildcard(n)}}", () => {
    expect(map("a.*.*", "b.$2.$1", "a.x.y")).toBe("b.y.x");
    expect(map("a.*.*", "b.{{wildcard(2)}}.{{ Wildcard(1) }}", "a.x.y")).toBe("b.y.x");
    expect(map("a.*.*", "b.$2.$1", "c.x.y")).toBeNull();
  });

  test("carries the tokens a `>` matched", () => {
    expect(map("orders.>", "archive.>", "orders.eu.1")).toBe("archive.eu.1");
    expect(map("", "x.>", "any.thing")).toBe("x.any.thing");
    expect(map(">", ">", "same")).toBe("same");
  });

  test("runs the token functions", () => {
    expect(map("a.*", "{{split(1,-)}}", "a.x-y--z")).toBe("x.y.z");
    expect(map("a.*", "{{splitFromLeft(1,2)}}", "a.abcdef")).toBe("ab.cdef");
    expect(map("a.*", "{{splitFromRight(1,2)}}", "a.abcdef")).toBe("abcd.ef");
    expect(map("a.*", "{{sliceFromLeft(1,3)}}", "a.abcdefghij")).toBe("abc.def.ghi.j");
    expect(map("a.*", "{{sliceFromRight(1,3)}}", "a.abcdefghij")).toBe("a.bcd.efg.hij");
    expect(map("a.*", "{{left(1,2)}}", "a.abcdef")).toBe("ab");
    expect(map("a.*", "{{right(1,2)}}", "a.abcdef")).toBe("ef");
  });

  test("partitions deterministically with FNV-1a as nats-server does", () => {
    // FNV-1a("b") = 3876335077 (computed independently), 3876335077 % 10 = 7
    expect(map("a.*", "p.{{partition(10,1)}}", "a.b")).toBe("p.7");
    const first = map("a.*", "p.{{partition(3)}}", "a.k");
    expect(map("a.*", "p.{{partition(3)}}", "a.k")).toBe(first);
  });

  test("refuses bad sources, destinations and indexes with nats-server's texts", () => {
    const error = (src: string, dest: string) => {
      try {
        SubjectTransform.compile(src, dest);
        return "ok";
      } catch (e) {
        expect(e).toBeInstanceOf(TransformError);
        return (e as Error).message;
      }
    };
    expect(error("a.*", "b.*")).toBe("invalid subject");
    expect(error("a.>", "b")).toBe("invalid subject");
    expect(error("a.*", "b.$2")).toBe(
      "invalid mapping destination: wildcard index out of range in $2: [2]");
    expect(error("a", "b.$1")).toBe(
      "invalid mapping destination: wildcard index out of range in $1");
    expect(error("a.*", "{{nope(1)}}")).toBe(
      "invalid mapping destination: unknown function in {{nope(1)}}");
    expect(error("a.*", "{{split(1)}}")).toBe("invalid mapping destination: not enough " +
      "arguments passed to the function in {{split(1)}}");
  });
});

describe("validateMapping", () => {
  test("accepts good mappings and names the bad token", () => {
    expect(validateMapping("a.*", "b.$1")).toBeNull();
    expect(validateMapping("a.*", "b..$1")).toBe(
      "invalid mapping destination: invalid transform");
    expect(validateMapping("a.*", "{{left(1,2)}}")).toBe(
      "invalid mapping destination: unknown function in {{left(1,2)}}");
  });
});
