import { describe, expect, test } from "bun:test";
import { decode } from "./parser.ts";
import { pubArgsFor } from "./pub_args_for.ts";

describe("pubArgsFor", () => {
  test("ASCII subject and reply share one buffer with exact bounds", () => {
    const args = pubArgsFor("orders.new", "_INBOX.a.1", -1, 5);
    expect(decode(args.argBuf, args.subjectStart, args.subjectEnd)).toBe("orders.new");
    expect(decode(args.argBuf, args.replyStart, args.replyEnd)).toBe("_INBOX.a.1");
    expect(args.headerBytes).toBe(-1);
    expect(args.totalBytes).toBe(5);
  });

  test("multi-byte subjects keep byte offsets, not character offsets", () => {
    const args = pubArgsFor("prix.€uro", "réponse", 3, 9);
    expect(args.subjectEnd).toBe(new TextEncoder().encode("prix.€uro").length);
    expect(decode(args.argBuf, args.subjectStart, args.subjectEnd)).toBe("prix.€uro");
    expect(decode(args.argBuf, args.replyStart, args.replyEnd)).toBe("réponse");
  });

  test("an empty reply leaves an empty range", () => {
    const args = pubArgsFor("a.b", "", -1, 0);
    expect(args.replyStart).toBe(args.replyEnd);
    expect(args.subjectEnd).toBe(3);
  });
});
