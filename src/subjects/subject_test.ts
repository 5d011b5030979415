// Subject rules, checked against the cases of nats-server's sublist_test.go (TestSublistValid*,
// TestSubjectIsLiteral, TestSublistMatchLiterals, TestIsSubsetMatch) plus the whitespace rules.
import { describe, expect, test } from "bun:test";
import {
  isLiteralSubject,
  isValidLiteralSubject,
  isValidPublishSubject,
  isValidQueueName,
  isValidSubject,
  isWellFormedSubject,
  subjectIsSubsetOf,
  subjectMatchesPattern,
  tokenCount,
} from "./subject.ts";

/** Tokens holding wildcard characters that are not whole tokens: literal for nats-server. */
const WILDCARD_CHARS_AS_LITERALS = [
  "foo*", "foo**", "foo.**", "foo*bar", "foo.*bar", "foo*.bar", "*bar",
  "foo>", "foo>>", "foo.>>", "foo>bar", "foo.>bar", "foo>.bar", ">bar",
];

describe("isValidSubject", () => {
  test("accepts literals and whole-token wildcards", () => {
    for (const s of ["foo", "foo.bar.*", "foo.bar.>", "*", ">", "*.*.>", "a.b.c.d.e", "$SYS.>"]) {
      expect([s, isValidSubject(s)]).toEqual([s, true]);
    }
  });

  test("rejects empty tokens and a non-terminal >", () => {
    for (const s of ["", ".", ".foo", "foo.", "foo..bar", "foo.bar..baz", ">.bar", "foo.>.bar"]) {
      expect([s, isValidSubject(s)]).toEqual([s, false]);
    }
  });

  test("treats wildcard characters inside a token as literal characters", () => {
    for (const s of WILDCARD_CHARS_AS_LITERALS) expect([s, isValidSubject(s)]).toEqual([s, true]);
  });

  test("rejects space, tab, newline, carriage return and form feed in any token", () => {
    for (const ws of [" ", "\t", "\n", "\r", "\f"]) {
      for (const s of [`foo${ws}bar`, `${ws}`, `a.${ws}`, `a.b${ws}.c`, `${ws}.>`]) {
        expect([s, isValidSubject(s)]).toEqual([s, false]);
      }
    }
    // Other control characters are not whitespace for nats-server.
    expect(isValidSubject("foo\vbar")).toBe(true);
  });

  test("rejects NUL and U+FFFD only with checkRunes", () => {
    expect(isValidSubject("foo.bar.baz\0")).toBe(true);
    expect(isValidSubject("foo.bar.baz\0", { checkRunes: true })).toBe(false);
    expect(isValidSubject("foo.\ufffd", { checkRunes: true })).toBe(false);
    expect(isValidSubject("foo.bär", { checkRunes: true })).toBe(true);
  });
});

describe("isWellFormedSubject", () => {
  test("applies the structural rules but not the whitespace rule (Go's Sublist.Insert)", () => {
    expect(isWellFormedSubject("foo\fbar")).toBe(true);
    expect(isWellFormedSubject("foo.*.>")).toBe(true);
    for (const s of ["", ".", "foo.", ".foo", "a..b", "a.>.b", ">.>"]) {
      expect([s, isWellFormedSubject(s)]).toEqual([s, false]);
    }
  });
});

describe("isLiteralSubject", () => {
  test("is false exactly when a whole token is * or >", () => {
    for (const s of ["foo", "foo.bar", "foo*.bar", ...WILDCARD_CHARS_AS_LITERALS]) {
      expect([s, isLiteralSubject(s)]).toEqual([s, true]);
    }
    for (const s of ["*", ">", "foo.*", "foo.>", "foo.*.>", "foo.*.bar", "foo.bar.>", "*.x"]) {
      expect([s, isLiteralSubject(s)]).toEqual([s, false]);
    }
  });
});

describe("isValidLiteralSubject and isValidPublishSubject", () => {
  test("reject wildcards and empty tokens, accept wildcard characters inside tokens", () => {
    for (const check of [isValidLiteralSubject, isValidPublishSubject]) {
      expect(check("foo")).toBe(true);
      for (const s of [".foo", "foo.", "foo..bar", "foo.bar.*", "foo.bar.>", "*", ">"]) {
        expect([s, check(s)]).toEqual([s, false]);
      }
      for (const s of WILDCARD_CHARS_AS_LITERALS) expect([s, check(s)]).toEqual([s, true]);
    }
  });

  test("only the publish check rejects whitespace (pedantic uses the literal check in Go)", () => {
    expect(isValidLiteralSubject("foo\fbar")).toBe(true);
    expect(isValidPublishSubject("foo\fbar")).toBe(false);
  });
});

describe("isValidQueueName", () => {
  test("requires a non-empty name without whitespace", () => {
    expect(isValidQueueName("workers")).toBe(true);
    expect(isValidQueueName("a.b*>")).toBe(true);
    for (const q of ["", " ", "a b", "a\tb", "a\nb", "a\rb", "a\fb"]) {
      expect([q, isValidQueueName(q)]).toEqual([q, false]);
    }
  });
});

describe("tokenCount", () => {
  test("counts dot-separated tokens, 0 for the empty string", () => {
    expect(tokenCount("")).toBe(0);
    expect(tokenCount("foo")).toBe(1);
    expect(tokenCount("foo.bar.>")).toBe(3);
    expect(tokenCount("a..b")).toBe(3);
  });
});

describe("subjectMatchesPattern", () => {
  test("matches Go's matchLiteral cases", () => {
    const cases: [string, string, boolean][] = [
      ["foo", "foo", true], ["foo", "bar", false], ["foo", "*", true], ["foo", ">", true],
      ["foo.bar", ">", true], ["foo.bar", "foo.>", true], ["foo.bar", "bar.>", false],
      ["stats.test.22", "stats.>", true], ["stats.test.22", "stats.*.*", true],
      ["foo.bar", "foo", false], ["stats.test.foos", "stats.test.foos", true],
      ["stats.test.foos", "stats.test.foo", false], ["stats.test", "stats.test.*", false],
      ["stats.test.foos", "stats.*", false], ["stats.test.foos", "stats.*.*.foos", false],
      ["*bar", "*bar", true], ["foo*", "foo*", true], ["foo*bar", "foo*bar", true],
      ["foo.***.bar", "foo.***.bar", true], [">bar", ">bar", true], ["foo>", "foo>", true],
      ["foo>bar", "foo>bar", true], ["foo.>>>.bar", "foo.>>>.bar", true],
    ];
    for (const [literal, pattern, expected] of cases) {
      expect([literal, pattern, subjectMatchesPattern(literal, pattern)])
        .toEqual([literal, pattern, expected]);
    }
  });

  test("needs at least one token for > and the same token count otherwise", () => {
    expect(subjectMatchesPattern("foo", "foo.>")).toBe(false);
    expect(subjectMatchesPattern("foo.bar.baz", "foo.>")).toBe(true);
    expect(subjectMatchesPattern("foo.bar", "*")).toBe(false);
    expect(subjectMatchesPattern("foo", "foo.bar")).toBe(false);
    expect(subjectMatchesPattern("fo", "foo")).toBe(false);
    expect(subjectMatchesPattern("", ">")).toBe(false);
  });

  test("takes the literal's tokens verbatim: a published `*` is matched by `*` or `>` only", () => {
    expect(subjectMatchesPattern("foo.*", "foo.*")).toBe(true);
    expect(subjectMatchesPattern("foo.*", "foo.>")).toBe(true);
    expect(subjectMatchesPattern("foo.*", "foo.bar")).toBe(false);
  });

  test("agrees with a token-by-token definition on generated subjects", () => {
    const tokens = ["a", "b", "*", ">", "ab"];
    const subjects: string[] = [];
    for (const x of tokens) {
      subjects.push(x);
      for (const y of tokens) {
        subjects.push(`${x}.${y}`);
        for (const z of tokens) subjects.push(`${x}.${y}.${z}`);
      }
    }
    const reference = (literal: string, pattern: string): boolean => {
      const l = literal.split(".");
      const p = pattern.split(".");
      for (let i = 0; i < p.length; i++) {
        if (p[i] === ">" && i === p.length - 1) return l.length > i;
        if (i >= l.length || (p[i] !== "*" && p[i] !== l[i])) return false;
      }
      return l.length === p.length;
    };
    for (const literal of subjects) {
      for (const pattern of subjects) {
        if (subjectMatchesPattern(literal, pattern) !== reference(literal, pattern)) {
          throw new Error(`subjectMatchesPattern("${literal}", "${pattern}") disagrees`);
        }
      }
    }
  });
});

describe("subjectIsSubsetOf", () => {
  test("matches Go's isSubsetMatch cases", () => {
    const cases: [string, string, boolean][] = [
      ["foo.bar", "foo.bar", true], ["foo.*", ">", true], ["foo.*", "*.*", true],
      ["foo.*", "foo.*", true], ["foo.*", "foo.bar", false], ["foo.>", ">", true],
      ["foo.>", "*.>", true], ["foo.>", "foo.>", true], ["foo.>", "foo.bar", false],
      ["foo..bar", "foo.*", false], ["foo.*", "foo..bar", false],
    ];
    for (const [a, b, expected] of cases) {
      expect([a, b, subjectIsSubsetOf(a, b)]).toEqual([a, b, expected]);
    }
  });

  test("handles token counts and > on either side", () => {
    expect(subjectIsSubsetOf("foo.bar", "foo.*")).toBe(true);
    expect(subjectIsSubsetOf("foo.*.baz", "foo.>")).toBe(true);
    expect(subjectIsSubsetOf("foo", "foo.>")).toBe(false);
    expect(subjectIsSubsetOf("foo.>", "foo.*")).toBe(false);
    expect(subjectIsSubsetOf(">", "*")).toBe(false);
    expect(subjectIsSubsetOf("*", ">")).toBe(true);
    expect(subjectIsSubsetOf("foo.bar.baz", "foo.*")).toBe(false);
    expect(subjectIsSubsetOf("foo", "foo.bar")).toBe(false);
  });

  test("a literal is a subset of a pattern exactly when it matches it", () => {
    const literals = ["a", "a.b", "a.b.c", "x.b", "a.x.c"];
    const patterns = ["a", "*", ">", "a.*", "a.>", "*.b", "a.*.c", "*.*.*", "a.b.c", "x.>"];
    for (const literal of literals) {
      for (const pattern of patterns) {
        expect([literal, pattern, subjectIsSubsetOf(literal, pattern)])
          .toEqual([literal, pattern, subjectMatchesPattern(literal, pattern)]);
      }
    }
  });
});
