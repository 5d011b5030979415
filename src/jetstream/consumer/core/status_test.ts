import { describe, expect, test } from "bun:test";
import * as status from "./status.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("status messages match nats-server byte for byte", () => {
  const p = { msgs: 3, bytes: 512 };
  const cases: Array<[string, Uint8Array, string]> = [
    ["404", status.STATUS_NO_MESSAGES, "NATS/1.0 404 No Messages\r\n\r\n"],
    ["408 timeout", status.requestTimeout(p),
      "NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 3\r\n" +
      "Nats-Pending-Bytes: 512\r\n\r\n"],
    ["408 pending", status.STATUS_REQUESTS_PENDING, "NATS/1.0 408 Requests Pending\r\n\r\n"],
    ["409 max bytes", status.maxBytesExceeded(p),
      "NATS/1.0 409 Message Size Exceeds MaxBytes\r\nNats-Pending-Messages: 3\r\n" +
      "Nats-Pending-Bytes: 512\r\n\r\n"],
    ["409 batch completed", status.batchCompleted({ msgs: 0, bytes: 12 }),
      "NATS/1.0 409 Batch Completed\r\nNats-Pending-Messages: 0\r\nNats-Pending-Bytes: 12\r\n\r\n"],
    ["409 max waiting", status.STATUS_MAX_WAITING, "NATS/1.0 409 Exceeded MaxWaiting\r\n\r\n"],
    ["409 deleted", status.STATUS_CONSUMER_DELETED, "NATS/1.0 409 Consumer Deleted\r\n\r\n"],
    ["409 push", status.STATUS_PUSH_BASED, "NATS/1.0 409 Consumer is push based\r\n\r\n"],
    ["409 max batch", status.exceededMaxBatch(10),
      "NATS/1.0 409 Exceeded MaxRequestBatch of 10\r\n\r\n"],
    ["409 max expires", status.exceededMaxExpires(60_000_000_000n),
      "NATS/1.0 409 Exceeded MaxRequestExpires of 1m0s\r\n\r\n"],
    ["409 max bytes limit", status.exceededMaxBytes(1024),
      "NATS/1.0 409 Exceeded MaxRequestMaxBytes of 1024\r\n\r\n"],
    ["400", status.badRequest("heartbeat value too large"),
      "NATS/1.0 400 Bad Request - heartbeat value too large\r\n\r\n"],
    ["423 wrong pin", status.wrongPinId(p),
      "NATS/1.0 423 Nats-Wrong-Pin-Id\r\nNats-Pending-Messages: 3\r\n" +
      "Nats-Pending-Bytes: 512\r\n\r\n"],
    ["423 mismatch", status.STATUS_PIN_MISMATCH, "NATS/1.0 423 Nats-Pin-Id mismatch\r\n\r\n"],
    ["100 fc", status.STATUS_FLOW_CONTROL, "NATS/1.0 100 FlowControl Request\r\n\r\n"],
    ["100 hb", status.idleHeartbeat({ consumerSeq: 4, streamSeq: 9 }, ""),
      "NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 4\r\nNats-Last-Stream: 9\r\n\r\n"],
    ["100 hb stalled", status.idleHeartbeat({ consumerSeq: 4, streamSeq: 9 }, "$JS.FC.S.C.abcd"),
      "NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 4\r\nNats-Last-Stream: 9\r\n" +
      "Nats-Consumer-Stalled: $JS.FC.S.C.abcd\r\n\r\n"],
  ];
  for (const [name, got, expected] of cases) {
    test(name, () => expect(text(got)).toBe(expected));
  }
});

describe("header helpers", () => {
  const enc = new TextEncoder();
  test("headersOnly adds Nats-Msg-Size to a block or makes one", () => {
    expect(text(status.headersOnly(new Uint8Array(0), 42))).toBe(
      "NATS/1.0\r\nNats-Msg-Size: 42\r\n\r\n",
    );
    expect(text(status.headersOnly(enc.encode("NATS/1.0\r\nA: 1\r\n\r\n"), 0))).toBe(
      "NATS/1.0\r\nA: 1\r\nNats-Msg-Size: 0\r\n\r\n",
    );
  });
  test("withHeader appends a header", () => {
    expect(text(status.withHeader(enc.encode("NATS/1.0\r\n\r\n"), "Nats-Pin-Id", "x"))).toBe(
      "NATS/1.0\r\nNats-Pin-Id: x\r\n\r\n",
    );
  });
});
