import { describe, expect, test } from "bun:test";
import {
  goHash, headerStreamToken, indexName, parseSourceHeader, sourceHeaderValue,
} from "./source_header.ts";

describe("indexName", () => {
  test("stream, filter and destination; > for what is empty", () => {
    expect(indexName({ name: "O" })).toBe("O > >");
    expect(indexName({ name: "O", filter_subject: "o.1" })).toBe("O o.1 >");
    expect(indexName({ name: "O", subject_transforms: [{ src: "a.*", dest: "b.$1" },
      { src: "", dest: "" }] })).toBe("O a.*\f> b.$1\f>");
  });

  test("external sources carry the hash of their API prefix", () => {
    const hash = goHash("JS.A.API");
    expect(hash).toMatch(/^[0-9A-Za-z]{8}$/);
    expect(indexName({ name: "O", external: { api: "JS.A.API", deliver: "d" } }))
      .toBe(`O:${hash} > >`);
    expect(headerStreamToken({ name: "O", external: { api: "JS.A.API" } })).toBe(`O:${hash}`);
    expect(headerStreamToken({ name: "O" })).toBe("O");
  });
});

describe("Nats-Stream-Source", () => {
  test("2.14 form: index name parts around the sequence, then the original subject", () => {
    expect(sourceHeaderValue("O a.* b.$1", 42, "a.x")).toBe("O 42 a.* b.$1 a.x");
  });

  test("parses the 2.14, 2.10, 2.9 and ack-reply forms", () => {
    expect(parseSourceHeader("O 42 a.* b.$1 a.x"))
      .toEqual({ stream: "O", iname: "O a.* b.$1", seq: 42 });
    expect(parseSourceHeader("O 7 > >")).toEqual({ stream: "O", iname: "O > >", seq: 7 });
    expect(parseSourceHeader("O 7")).toEqual({ stream: "O", iname: "", seq: 7 });
    expect(parseSourceHeader("$JS.ACK.O.C.1.9.3.1700000000000000000.0"))
      .toEqual({ stream: "O", iname: "", seq: 9 });
    expect(parseSourceHeader("$JS.ACK._.HASH1234.O.C.1.11.3.1700000000000000000.0.x"))
      .toEqual({ stream: "O", iname: "", seq: 11 });
  });

  test("refuses what is none of them", () => {
    for (const bad of ["", "O", "O 1 >", "O x > >", "$JS.ACK.O.C.1"]) {
      expect(parseSourceHeader(bad)).toBeNull();
    }
  });
});
