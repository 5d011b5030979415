import { describe, expect, test } from "bun:test";
import {
  fnv1a32, SubjectTransform, tokenizeWildcards, TransformError, untokenizeWildcards,
  validateMapping,
} from "./subject_transform.ts";

// Vectors from nats-server's subject_transform_test.go (TestSubjectTransforms).
const MATCHES: [string, string, string, string][] = [
  ["", "prefix.>", "foo", "prefix.foo"],
  ["foo", "bar", "foo", "bar"],
  ["foo.*.bar.*.baz", "req.$2.$1", "foo.A.bar.B.baz", "req.B.A"],
  ["foo.*.bar.*.baz", "req.{{wildcard(2)}}.{{wildcard(1)}}", "foo.A.bar.B.baz", "req.B.A"],
  ["baz.>", "my.pre.>", "baz.1.2.3", "my.pre.1.2.3"],
  ["baz.>", "foo.bar.>", "baz.1.2.3", "foo.bar.1.2.3"],
  ["*", "foo.bar.$1", "foo", "foo.bar.foo"],
  ["*", "{{splitfromleft(1,3)}}", "12345", "123.45"],
  ["*", "{{SplitFromRight(1,3)}}", "12345", "12.345"],
  ["*", "{{SliceFromLeft(1,3)}}", "1234567890", "123.456.789.0"],
  ["*", "{{SliceFromRight(1,3)}}", "1234567890", "1.234.567.890"],
  ["*", "{{split(1,-)}}", "-abc-def--ghi-", "abc.def.ghi"],
  ["*", "{{split(1,-)}}", "abc-def--ghi-", "abc.def.ghi"],
  ["*.*", "{{split(2,-)}}.{{splitfromleft(1,2)}}", "foo.-abc-def--ghij-", "abc.def.ghij.fo.o"],
  ["*", "{{right(1,1)}}", "1234", "4"],
  ["*", "{{right(1,3)}}", "1234", "234"],
  ["*", "{{right(1,6)}}", "1234", "1234"],
  ["*", "{{left(1,1)}}", "1234", "1"],
  ["*", "{{left(1,3)}}", "1234", "123"],
  ["*", "{{left(1,6)}}", "1234", "1234"],
  ["*", "bar.{{partition(0)}}", "baz", "bar.0"],
  ["*", "bar.{{partition(10, 0)}}", "foo", "bar.3"],
  ["*.*", "bar.{{partition(10)}}", "foo.bar", "bar.6"],
  ["*", "bar.{{partition(10)}}", "foo", "bar.3"],
  ["*", "bar.{{partition(10)}}", "baz", "bar.0"],
  ["*", "bar.{{partition(10)}}", "qux", "bar.9"],
  ["*", "bar.{{random(0)}}", "qux", "bar.0"],
  ["foo.bar", "baz.{{partition(10)}}", "foo.bar", "baz.6"],
  ["foo.baz", "qux.{{partition(10)}}", "foo.baz", "qux.4"],
  ["test.subject", "result.{{partition(5)}}", "test.subject", "result.0"],
];

const ERRORS: [string, string, boolean][] = [
  ["foo..", "bar", false],
  ["foo.*", "bar.*", false],
  ["foo.*", "bar.$2", false],
  ["foo.*", "bar.$1.>", false],
  ["foo.>", "bar.baz", false],
  ["foo.*.*", "bar.$2", true],
  ["foo.*", "foo.$foo", true],
  ["foo.*", "bar.{{Partition(2,1)}}", true],
  ["foo.*", "foo.{{wildcard(2)}}", false],
  ["foo.*", "foo.{{unimplemented(1)}}", false],
  ["foo.*", "foo.{{partition()}}", false],
  ["foo.*", "foo.{{random()}}", false],
  ["foo.*", "foo.{{wildcard(foo)}}", false],
  ["foo.*", "foo.{{wildcard()}}", false],
  ["foo.*", "foo.{{wildcard(1,2)}}", false],
  ["foo.*", "foo.{{ wildcard5) }}", false],
  ["foo.*", "foo.{{splitLeft(2,2}}", false],
  ["foo", "bla.{{wildcard(1)}}", false],
  ["foo.*", `foo.{{partition(${2 ** 31})}}`, false],
  ["foo.*", `foo.{{random(${2 ** 31})}}`, false],
];

const OK: [string, string, boolean][] = [
  ["foo.*", "bar.{{Wildcard(1)}}", true],
  ["foo.*.*", "bar.$2", false],
  ["foo.*.*", "bar.{{wildcard(1)}}", false],
  ["foo.*.*", "bar.{{partition(1)}}", false],
  ["foo.*.*", "bar.{{random(5)}}", false],
  ["foo", "bar", false],
  ["foo.*.bar.*.baz", "req.$2.$1", false],
  ["baz.>", "mybaz.>", false],
  ["*", "{{splitfromleft(1,1)}}", false],
  ["*.*", "{{partition(10,1,2)}}", false],
  ["foo.*.*", "foo.{{wildcard(1)}}.{{wildcard(2)}}.{{partition(5,1,2)}}", false],
  ["foo.*", `foo.{{partition(${2 ** 31 - 1})}}`, false],
  ["foo.bar", `foo.{{random(${2 ** 31 - 1})}}`, false],
];

describe("SubjectTransform", () => {
  for (const [source, destination, sample, expected] of MATCHES) {
    test(`${source || '""'} -> ${destination}: ${sample} becomes ${expected}`, () => {
      expect(SubjectTransform.create(source, destination).match(sample)).toBe(expected);
    });
  }

  test("nats-server's invalid transforms are refused", () => {
    for (const [source, destination, strict] of ERRORS) {
      expect(() => SubjectTransform.create(source, destination, { strict }))
        .toThrow(TransformError);
    }
  });

  test("nats-server's valid transforms build", () => {
    for (const [source, destination, strict] of OK) {
      expect(SubjectTransform.create(source, destination, { strict })).toBeInstanceOf(
        SubjectTransform);
    }
  });

  test("errors carry nats-server's text and token", () => {
    expect(() => SubjectTransform.create("foo.*", "foo.{{wildcard(2)}}")).toThrow(
      "invalid mapping destination: wildcard index out of range in {{wildcard(2)}}: [2]");
    expect(() => SubjectTransform.create("foo.*", "foo.{{nope(1)}}")).toThrow(
      "invalid mapping destination: unknown function in {{nope(1)}}");
    expect(() => SubjectTransform.create("foo.>", "bar")).toThrow("invalid subject");
  });

  test("random() stays within its range", () => {
    const tr = SubjectTransform.create("*", "bar.{{random(6)}}");
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(tr.match("qux")!);
    for (const s of seen) expect(s).toMatch(/^bar\.[0-5]$/);
    const fixed = SubjectTransform.create("*", "{{random(6)}}", { random: () => 0.5 });
    expect(fixed.match("a")).toBe(String((2 ** 30) % 6));
  });

  test("match refuses subjects outside the source; a missing token maps to nothing", () => {
    const tr = SubjectTransform.create("foo.*", "one.two.{{wildcard(1)}}");
    expect(tr.match("bar.x")).toBeNull();
    expect(tr.transformTokens(["foo"])).toBe("one.two.");
    expect(tr.transform("foo.x")).toBe("one.two.x");
  });
});

describe("validateMapping", () => {
  test("checks destination tokens before building the transform", () => {
    expect(() => validateMapping("a.*", "b.$1")).not.toThrow();
    expect(() => validateMapping("a", "b..c")).toThrow(
      "invalid mapping destination: invalid transform");
    expect(() => validateMapping("a.*", "{{nope(1)}}")).toThrow("unknown function");
    // As in nats-server, left() and right() are not accepted in mappings.
    expect(() => validateMapping("*", "{{left(1,1)}}")).toThrow("unknown function");
    expect(() => validateMapping("a", "")).not.toThrow();
  });
});

describe("helpers", () => {
  test("FNV-1a 32 matches Go's hash/fnv", () => {
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
  });

  test("wildcards tokenize to $N and back", () => {
    expect(tokenizeWildcards("foo.*.bar.*")).toBe("foo.$1.bar.$2");
    expect(untokenizeWildcards("foo.$2.{{wildcard(1)}}.x")).toEqual({
      subject: "foo.*.*.x", placeholders: ["$2", "{{wildcard(1)}}"] });
  });
});

describe("reverse", () => {
  test("maps destinations back to sources", () => {
    const forward = SubjectTransform.create("svc.*.*", "local.$2.$1", { strict: true });
    expect(forward.match("svc.X.Y")).toBe("local.Y.X");
    const back = forward.reverse()!;
    expect(back.match("local.Y.X")).toBe("svc.X.Y");
    expect(SubjectTransform.create("a", "b").reverse()!.match("b")).toBe("a");
  });
});
