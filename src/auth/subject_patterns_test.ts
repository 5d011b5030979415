import { describe, expect, test } from "bun:test";
import {
  checkPermissionSubjects, PatternList, PermissionSubjectError, splitSubjectQueue,
  subjectsCollide,
} from "./subject_patterns.ts";

const list = (...entries: string[]) => new PatternList(entries.map(splitSubjectQueue));

describe("splitSubjectQueue", () => {
  test("splits a subject and an optional queue on whitespace", () => {
    expect(splitSubjectQueue("foo.*")).toEqual({ subject: "foo.*", queue: null });
    expect(splitSubjectQueue("  foo.>   v1 ")).toEqual({ subject: "foo.>", queue: "v1" });
    expect(() => splitSubjectQueue("a b c")).toThrow(PermissionSubjectError);
    expect(() => splitSubjectQueue("a..b")).toThrow('invalid subject-queue "a..b"');
  });
});

describe("checkPermissionSubjects", () => {
  test("reports the first bad entry with nats-server's text", () => {
    expect(() => checkPermissionSubjects(["foo", "foo.>.bar"], false))
      .toThrow('subject "foo.>.bar" is not a valid subject');
    expect(() => checkPermissionSubjects(["foo bar"], false))
      .toThrow('subject "foo bar" is not a valid subject');
    expect(() => checkPermissionSubjects(["foo bar"], true)).not.toThrow();
    expect(() => checkPermissionSubjects(["foo bar baz"], true))
      .toThrow('subject "foo bar baz" is not a valid subject');
    expect(() => checkPermissionSubjects(["foo. bar"], true))
      .toThrow('subject "foo." is not a valid subject');
    expect(() => checkPermissionSubjects(["foo >.x"], true))
      .toThrow('queue ">.x" is not a valid queue');
  });
});

describe("PatternList", () => {
  test("wildcard entries match literal and wildcard subjects token by token", () => {
    const l = list("foo.*", "bar.>");
    expect(l.hasAnyMatch("foo.x")).toBe(true);
    expect(l.hasAnyMatch("foo.x.y")).toBe(false);
    expect(l.hasAnyMatch("bar.x.y")).toBe(true);
    expect(l.hasAnyMatch("bar")).toBe(false);
    // A subscription's wildcard tokens count as tokens: foo.* covers foo.> too (as in Go).
    expect(l.hasAnyMatch("foo.*")).toBe(true);
    expect(l.hasAnyMatch("foo.>")).toBe(true);
    // A literal entry does not cover a wildcard subscription.
    expect(list("foo.bar").hasAnyMatch("foo.*")).toBe(false);
  });

  test("allow: queue entries restrict which queues may subscribe", () => {
    const onlyQueue = list("foo v1");
    expect(onlyQueue.allows("foo", null)).toBe(false);
    expect(onlyQueue.allows("foo", "v1")).toBe(true);
    expect(onlyQueue.allows("foo", "v2")).toBe(false);
    const both = list("foo", "foo v1");
    expect(both.allows("foo", null)).toBe(true);
    expect(both.allows("foo", "v1")).toBe(true);
    expect(both.allows("foo", "v2")).toBe(false);
    expect(list("foo").allows("foo", "any")).toBe(true);
    const wildQueue = list("foo v.*");
    expect(wildQueue.allows("foo", "v.1")).toBe(true);
    expect(wildQueue.allows("foo", "w.1")).toBe(false);
  });

  test("deny: plain entries deny all, queue entries deny their queues", () => {
    const l = list("foo", "bar v1");
    expect(l.denies("foo", null)).toBe(true);
    expect(l.denies("foo", "v1")).toBe(true);
    expect(l.denies("bar", null)).toBe(false);
    expect(l.denies("bar", "v1")).toBe(true);
    expect(l.denies("bar", "v2")).toBe(false);
  });

  test("entries list plain subjects, then queue entries", () => {
    expect(list("a v", "b").entries).toEqual(["b", "a v"]);
    expect(list("a", "b c").size).toBe(2);
  });
});

describe("subjectsCollide", () => {
  const cases: [string, string, boolean][] = [
    ["foo.bar", "foo.bar", true],
    ["foo.bar", "foo.baz", false],
    ["foo.*", "foo.bar", true],
    ["foo.bar", "foo.>", true],
    ["foo.*", "bar.*", false],
    ["foo.*", "*.bar", true],
    ["foo.*", "foo.*.*", false],
    ["foo.>", "foo.*.*", true],
    ["foo.*.x", "foo.>", true],
    [">", "a.b.c", true],
    ["a.*", ">", true],
    ["*.b", "a.*.c", false],
  ];
  for (const [a, b, expected] of cases) {
    test(`${a} vs ${b}: ${expected}`, () => {
      expect(subjectsCollide(a, b)).toBe(expected);
      expect(subjectsCollide(b, a)).toBe(expected);
    });
  }
});
