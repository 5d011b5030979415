import { describe, expect, test } from "bun:test";
import { parseGoDuration, parseMessageTtl } from "./message_ttl.ts";

describe("parseGoDuration", () => {
  test("parses Go duration texts and refuses others", () => {
    expect(parseGoDuration("1h2m3.5s")).toBe(3723.5e9);
    expect(parseGoDuration("300ms")).toBe(300e6);
    expect(parseGoDuration("0")).toBe(0);
    expect(parseGoDuration("5")).toBeNull();
    expect(parseGoDuration("1x")).toBeNull();
  });
});

describe("parseMessageTtl", () => {
  test("never, durations of a second or more, and plain seconds", () => {
    expect(parseMessageTtl("never")).toEqual({ ok: true, seconds: -1 });
    expect(parseMessageTtl("1m30s")).toEqual({ ok: true, seconds: 90 });
    expect(parseMessageTtl("1.9s")).toEqual({ ok: true, seconds: 1 });
    expect(parseMessageTtl("60")).toEqual({ ok: true, seconds: 60 });
  });
  test("refuses short, zero and malformed TTLs", () => {
    expect(parseMessageTtl("500ms")).toEqual({ ok: false });
    expect(parseMessageTtl("0")).toEqual({ ok: false });
    expect(parseMessageTtl("-5")).toEqual({ ok: false });
    expect(parseMessageTtl("soon")).toEqual({ ok: false });
  });
});
