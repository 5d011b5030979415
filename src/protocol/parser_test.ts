import { describe, expect, test } from "bun:test";
import { decode, Parser, ParseStatus, type ParserHandler, type PubArgs } from "./parser.ts";

/** Records every operation as text so tests compare whole transcripts. */
class Recorder implements ParserHandler {
  ops: string[] = [];
  refuseBeforeConnect = false;
  connected = false;
  pedanticChecks = 0;
  allowOperation(isConnect: boolean): boolean {
    if (this.refuseBeforeConnect && !isConnect && !this.connected) return false;
    return true;
  }
  onPub(args: PubArgs, payload: Uint8Array, start: number, end: number): boolean {
    const subject = decode(args.argBuf, args.subjectStart, args.subjectEnd);
    const reply = decode(args.argBuf, args.replyStart, args.replyEnd);
    const body = decode(payload, start, end);
    this.ops.push(`PUB ${subject} [${reply}] hdr=${args.headerBytes} ${JSON.stringify(body)}`);
    return true;
  }
  onSub(subject: string, queue: string | null, sid: string): boolean {
    this.ops.push(`SUB ${subject} ${queue ?? "-"} ${sid}`);
    return true;
  }
  onUnsub(sid: string, maxMsgs: number): boolean {
    this.ops.push(`UNSUB ${sid} ${maxMsgs}`);
    return true;
  }
  onConnect(json: string): boolean {
    this.connected = true;
    this.ops.push(`CONNECT ${json}`);
    return true;
  }
  onInfo(json: string): boolean {
    this.ops.push(`INFO ${json}`);
    return true;
  }
  onPing(): boolean {
    this.ops.push("PING");
    return true;
  }
  onPong(): boolean {
    this.ops.push("PONG");
    return true;
  }
  onErr(text: string): boolean {
    this.ops.push(`ERR ${text}`);
    return true;
  }
  checkPublishSubject(): void {
    this.pedanticChecks++;
  }
}

const LIMITS = { maxControlLineBytes: 4096, maxPayloadBytes: 1024 * 1024, headersSupported: true };
const bytes = (text: string) => new TextEncoder().encode(text);

function parseChunks(chunks: Uint8Array[], limits = LIMITS) {
  const recorder = new Recorder();
  const parser = new Parser(recorder, { ...limits });
  let status: ParseStatus = ParseStatus.ok;
  for (const chunk of chunks) {
    status = parser.parse(chunk);
    if (status !== ParseStatus.ok) break;
  }
  return { ops: recorder.ops, status, parser, recorder };
}

/** Every way of cutting `input` in two, plus one byte at a time. */
function allSplits(input: string): Uint8Array[][] {
  const data = bytes(input);
  const splits: Uint8Array[][] = [[data]];
  for (let cut = 1; cut < data.length; cut++) {
    splits.push([data.slice(0, cut), data.slice(cut)]);
  }
  splits.push(Array.from(data, (b) => Uint8Array.of(b)));
  return splits;
}

const STREAM = "CONNECT {\"verbose\":false}\r\nSUB foo.* q 1\r\nsub\tbar  2\r\n" +
  "PUB foo.a 5\r\nhello\r\nPUB foo.b reply.x 0\r\n\r\n" +
  "HPUB foo.h 12 14\r\nNATS/1.0\r\n\r\nhi\r\nUNSUB 1 10\r\nUNSUB 2\r\nPING\r\npong\r\n+OK\r\n";
const STREAM_OPS = [
  "CONNECT {\"verbose\":false}",
  "SUB foo.* q 1",
  "SUB bar - 2",
  "PUB foo.a [] hdr=-1 \"hello\"",
  "PUB foo.b [reply.x] hdr=-1 \"\"",
  "PUB foo.h [] hdr=12 \"NATS/1.0\\r\\n\\r\\nhi\"",
  "UNSUB 1 10",
  "UNSUB 2 -1",
  "PING",
  "PONG",
];

describe("Parser", () => {
  test("parses every client operation in one chunk", () => {
    const { ops, status } = parseChunks([bytes(STREAM)]);
    expect(status).toBe(ParseStatus.ok);
    expect(ops).toEqual(STREAM_OPS);
  });

  test("gives the same operations for every split of the input", () => {
    for (const chunks of allSplits(STREAM)) {
      const { ops, status, parser } = parseChunks(chunks);
      expect(status).toBe(ParseStatus.ok);
      expect(ops).toEqual(STREAM_OPS);
      expect(parser.idle).toBe(true);
    }
  });

  test("PING fed one byte at a time completes only at the line feed", () => {
    const recorder = new Recorder();
    const parser = new Parser(recorder, { ...LIMITS });
    for (const b of bytes("PING\r")) {
      expect(parser.parse(Uint8Array.of(b))).toBe(ParseStatus.ok);
      expect(recorder.ops).toEqual([]);
      expect(parser.idle).toBe(false);
    }
    parser.parse(bytes("\n"));
    expect(recorder.ops).toEqual(["PING"]);
    expect(parser.idle).toBe(true);
  });

  test("verbs are case-insensitive and PING ignores trailing text", () => {
    const { ops } = parseChunks([bytes("ping\r\nPiNg foo\r\nPONG\n")]);
    expect(ops).toEqual(["PING", "PING", "PONG"]);
  });

  test("handles thousands of operations in one chunk", () => {
    const input = "PUB a 1\r\nx\r\n".repeat(5000);
    const { ops, status } = parseChunks([bytes(input)]);
    expect(status).toBe(ParseStatus.ok);
    expect(ops.length).toBe(5000);
  });

  test("CONNECT needs no space before its argument, PUB does", () => {
    expect(parseChunks([bytes("CONNECT{}\r\n")]).ops).toEqual(["CONNECT {}"]);
    expect(parseChunks([bytes("PUBfoo 1\r\n")]).status).toBe(ParseStatus.unknownOperation);
  });

  const unknown: [string, string][] = [
    ["unknown verb", "FOO\r\n"],
    ["leading CRLF", "\r\nPING\r\n"],
    ["leading space", " PING\r\n"],
    ["MSG from a client", "MSG foo 1 2\r\n"],
    ["payload longer than announced", "PUB foo 2\r\nhello\r\n"],
    ["payload ending in LF only", "PUB foo 1\r\nx\nPING\r\n"],
    ["bad verb letter", "PUX foo 1\r\n"],
  ];
  for (const [name, input] of unknown) {
    test(`answers Unknown Protocol Operation for ${name}`, () => {
      expect(parseChunks([bytes(input)]).status).toBe(ParseStatus.unknownOperation);
    });
  }

  const violations: [string, string][] = [
    ["PUB without size", "PUB foo\r\n"],
    ["negative size", "PUB foo -1\r\n"],
    ["size with sign", "PUB foo +1\r\n"],
    ["overflowing size", "PUB foo 99999999999999999999\r\n"],
    ["size with letters", "PUB foo 1x\r\n"],
    ["too many PUB args", "PUB foo bar 2 3\r\n"],
    ["SUB without sid", "SUB foo\r\n"],
    ["SUB with too many args", "SUB foo q1 q2 1\r\n"],
    ["UNSUB without sid", "UNSUB \r\n"],
    ["UNSUB with too many args", "UNSUB 1 2 3\r\n"],
    ["HPUB header larger than total", "HPUB foo 5 4\r\n"],
    ["HPUB without sizes", "HPUB foo 5\r\n"],
  ];
  for (const [name, input] of violations) {
    test(`reports a protocol violation for ${name}`, () => {
      expect(parseChunks([bytes(input)]).status).toBe(ParseStatus.protocolViolation);
    });
  }

  test("UNSUB with a non-numeric max passes -1 (immediate unsubscribe)", () => {
    expect(parseChunks([bytes("UNSUB 1 x\r\n")]).ops).toEqual(["UNSUB 1 -1"]);
  });

  test("rejects payloads over max_payload at the control line", () => {
    const limits = { ...LIMITS, maxPayloadBytes: 10 };
    expect(parseChunks([bytes("PUB foo 11\r\n")], limits).status).toBe(ParseStatus.maxPayload);
    expect(parseChunks([bytes("PUB foo 10\r\n0123456789\r\n")], limits).ops.length).toBe(1);
  });

  test("rejects HPUB when headers were not negotiated", () => {
    const limits = { ...LIMITS, headersSupported: false };
    const { status } = parseChunks([bytes("HPUB foo 2 2\r\n\r\n\r\n")], limits);
    expect(status).toBe(ParseStatus.headersNotSupported);
  });

  test("enforces max_control_line in one chunk and across chunks", () => {
    const limits = { ...LIMITS, maxControlLineBytes: 16 };
    const long = `SUB ${"a".repeat(20)} 1\r\n`;
    expect(parseChunks([bytes(long)], limits).status).toBe(ParseStatus.maxControlLine);
    // Split: a control line that never ends must not grow without bound.
    const chunks = [bytes("SUB "), ...Array.from({ length: 10 }, () => bytes("aaaa"))];
    expect(parseChunks(chunks, limits).status).toBe(ParseStatus.maxControlLine);
    expect(parseChunks([bytes("SUB a.b.c.d.e 1\r\n")], limits).ops).toEqual(["SUB a.b.c.d.e - 1"]);
  });

  test("lets the handler refuse operations before CONNECT", () => {
    const recorder = new Recorder();
    recorder.refuseBeforeConnect = true;
    const parser = new Parser(recorder, { ...LIMITS });
    expect(parser.parse(bytes("PING\r\n"))).toBe(ParseStatus.refused);
    const second = new Recorder();
    second.refuseBeforeConnect = true;
    const parser2 = new Parser(second, { ...LIMITS });
    expect(parser2.parse(bytes("CONNECT {}\r\nPING\r\n"))).toBe(ParseStatus.ok);
    expect(second.ops).toEqual(["CONNECT {}", "PING"]);
  });

  test("asks for the pedantic subject check on every PUB", () => {
    const { recorder } = parseChunks([bytes("PUB a 0\r\n\r\nPUB b 0\r\n\r\n")]);
    expect(recorder.pedanticChecks).toBe(2);
  });

  test("keeps split PUB arguments valid after the chunk is reused", () => {
    const recorder = new Recorder();
    const parser = new Parser(recorder, { ...LIMITS });
    const first = bytes("PUB subject.one reply.one 4\r\nab");
    parser.parse(first);
    first.fill(0x21); // the transport may reuse its read buffer
    parser.parse(bytes("cd\r\n"));
    expect(recorder.ops).toEqual(["PUB subject.one [reply.one] hdr=-1 \"abcd\""]);
  });
});
