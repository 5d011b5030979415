import { describe, expect, test } from "bun:test";
import { BadQueryError, ConnState, decodeState, Query } from "./query.ts";

const q = (text: string) => new Query(new URLSearchParams(text));

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BadQueryError);
    return (error as Error).message;
  }
  throw new Error("expected a BadQueryError");
}

describe("Query.bool (strconv.ParseBool)", () => {
  for (const word of ["1", "t", "T", "TRUE", "true", "True"]) {
    test(`${word} is true`, () => expect(q(`subs=${word}`).bool("subs")).toBe(true));
  }
  for (const word of ["0", "f", "F", "FALSE", "false", "False", ""]) {
    test(`"${word}" is false`, () => expect(q(`subs=${word}`).bool("subs")).toBe(false));
  }
  test("absent is false", () => expect(q("").bool("subs")).toBe(false));
  test("anything else is Go's error text", () => {
    expect(errorOf(() => q("subs=maybe").bool("subs"))).toBe(
      `Error decoding boolean for 'subs': strconv.ParseBool: parsing "maybe": invalid syntax`,
    );
  });
});

describe("Query.int (strconv.Atoi)", () => {
  test("signed decimal values parse", () => {
    expect(q("offset=-3").int("offset")).toBe(-3);
    expect(q("offset=%2B7").int("offset")).toBe(7);
  });
  test("syntax errors", () => {
    expect(errorOf(() => q("limit=x").int("limit"))).toBe(
      `Error decoding int for 'limit': strconv.Atoi: parsing "x": invalid syntax`,
    );
    expect(errorOf(() => q("limit=1.5").int("limit"))).toContain("invalid syntax");
  });
  test("range errors", () => {
    expect(errorOf(() => q("limit=99999999999999999999").int("limit"))).toBe(
      `Error decoding int for 'limit': strconv.Atoi: parsing "99999999999999999999": ` +
        "value out of range",
    );
  });
});

describe("Query.uint64 (strconv.ParseUint)", () => {
  test("parses and refuses signs", () => {
    expect(q("cid=42").uint64("cid")).toBe(42);
    expect(errorOf(() => q("cid=-1").uint64("cid"))).toBe(
      `Error decoding uint64 for 'cid': strconv.ParseUint: parsing "-1": invalid syntax`,
    );
  });
  test("range", () => {
    expect(errorOf(() => q("cid=18446744073709551616").uint64("cid"))).toContain(
      "value out of range",
    );
  });
});

describe("subs and state", () => {
  test("subs=detail selects detail, case-insensitively", () => {
    expect(q("subs=DETAIL").subs()).toEqual({ subs: false, detail: true });
    expect(q("subs=1").subs()).toEqual({ subs: true, detail: false });
  });
  test("states", () => {
    expect(decodeState(q(""))).toBe(ConnState.open);
    expect(decodeState(q("state=CLOSED"))).toBe(ConnState.closed);
    expect(decodeState(q("state=any"))).toBe(ConnState.all);
    expect(decodeState(q("state=all"))).toBe(ConnState.all);
    expect(errorOf(() => decodeState(q("state=weird")))).toBe("Error decoding state for weird");
  });
});
