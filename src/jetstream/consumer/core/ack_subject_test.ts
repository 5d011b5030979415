import { describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import {
  accountHash, AckSubjects, HASH_DIGITS, parseAckReply, TimestampText,
} from "./ack_subject.ts";

describe("AckSubjects", () => {
  test("v1 reply subjects carry delivered, sequences, time and pending", () => {
    const subjects = new AckSubjects({ stream: "ORDERS", consumer: "worker" });
    expect(subjects.reply(2, 17, 5, 1_700_000_000_123_456_789n, 42)).toBe(
      "$JS.ACK.ORDERS.worker.2.17.5.1700000000123456789.42",
    );
  });

  test("v2 reply subjects add the domain (or _) and the account hash", () => {
    const hash = accountHash("ACC");
    const noDomain = new AckSubjects({ stream: "S", consumer: "C", account: "ACC", v2: true });
    expect(noDomain.reply(1, 2, 3, 4n, 5)).toBe(`$JS.ACK._.${hash}.S.C.1.2.3.4.5`);
    const hub = new AckSubjects({
      stream: "S",
      consumer: "C",
      account: "ACC",
      domain: "hub",
      v2: true,
    });
    expect(hub.reply(1, 2, 3, 4n, 5)).toBe(`$JS.ACK.hub.${hash}.S.C.1.2.3.4.5`);
  });

  test("subscriptions receive both forms", () => {
    const subjects = new AckSubjects({ stream: "S", consumer: "C" });
    const hash = accountHash("$G");
    expect(subjects.ackSubscriptions).toEqual([
      "$JS.ACK.S.C.*.*.*.*.*",
      `$JS.ACK._.${hash}.S.C.*.*.*.*.>`,
    ]);
    expect(subjects.fcSubscriptions).toEqual(["$JS.FC.S.C.*", `$JS.FC._.${hash}.S.C.*`]);
  });

  test("flow control replies end in four base-62 characters", () => {
    const subjects = new AckSubjects({ stream: "S", consumer: "C" });
    let i = 0;
    const values = [0, 0.999, 0.5, 0.1];
    expect(subjects.flowControlReply(() => values[i++])).toBe("$JS.FC.S.C.0zV6");
  });
});

describe("accountHash", () => {
  test("is nats-server's getHash: 8 characters, sha256 bytes mod 62", () => {
    for (const account of ["$G", "ACC", "ü-account", ""]) {
      const digest = createHash("sha256").update(account).digest();
      const expected = [...digest.subarray(0, 8)].map((b) => HASH_DIGITS[b % 62]).join("");
      expect(accountHash(account)).toBe(expected);
      expect(accountHash(account)).toMatch(/^[0-9A-Za-z]{8}$/);
    }
  });
});

describe("parseAckReply", () => {
  const cases: Array<[string, unknown]> = [
    ["$JS.ACK.S.C.1.2.3.4.5", { delivered: 1, streamSeq: 2, consumerSeq: 3, tsNs: 4n, pending: 5 }],
    ["$JS.ACK.dom.HASH1234.S.C.6.7.8.9.10", {
      delivered: 6, streamSeq: 7, consumerSeq: 8, tsNs: 9n, pending: 10,
    }],
    // v2 may carry further tokens.
    ["$JS.ACK._.HASH1234.S.C.1.2.3.4.5.extra", {
      delivered: 1, streamSeq: 2, consumerSeq: 3, tsNs: 4n, pending: 5,
    }],
    ["$JS.ACK.S.C.1.2.3.1700000000123456789.0", {
      delivered: 1, streamSeq: 2, consumerSeq: 3, tsNs: 1700000000123456789n, pending: 0,
    }],
    ["$JS.ACK.S.C.1.2.3.4", null], // 8 tokens
    ["$JS.ACK.x.S.C.1.2.3.4.5", null], // 10 tokens
    ["$JS.NAK.S.C.1.2.3.4.5", null],
    ["JS.ACK.S.C.1.2.3.4.5.6", null],
    ["$JS.ACK.S.C.1.x.3.4.5", null],
    ["$JS.ACK.S.C.1.-2.3.4.5", null],
    ["$JS.ACK.S.C.1..3.4.5", null],
    ["$JS.ACK.S.C.1.99999999999999999.3.4.5", null],
    ["$JS.ACK.S.C.1.2.3.99999999999999999999.5", null],
    ["", null],
  ];
  for (const [subject, expected] of cases) {
    test(`reads ${JSON.stringify(subject)}`, () => {
      expect(parseAckReply(subject)).toEqual(expected as never);
    });
  }

  test("round-trips what AckSubjects builds (seeded values)", () => {
    const v1 = new AckSubjects({ stream: "S", consumer: "C" });
    const v2 = new AckSubjects({ stream: "S", consumer: "C", v2: true, domain: "d" });
    for (let i = 0; i < 200; i++) {
      const n = (k: number) => (i * 7919 + k * 104729) % 1_000_000_007;
      const ts = BigInt(n(3)) * 1_000_000_000n;
      for (const subjects of [v1, v2]) {
        expect(parseAckReply(subjects.reply(n(1) + 1, n(2), n(4), ts, n(5)))).toEqual({
          delivered: n(1) + 1, streamSeq: n(2), consumerSeq: n(4), tsNs: ts, pending: n(5),
        });
      }
    }
  });
});

describe("TimestampText", () => {
  test("formats every timestamp exactly, around second boundaries and out of range", () => {
    const text = new TimestampText();
    const cases = [0n, 1n, 999_999_999n, 1_000_000_000n, 1_700_000_000_000_000_000n,
      1_699_999_999_999_999_999n, 1_700_000_000_000_000_001n, 1_700_000_000_000_000_999n,
      1_700_000_000_999_999_999n, 1_700_000_001_000_000_000n, 1_700_000_000_000_000_000n,
      (1n << 63n) - 1n, 1_764_197_000_123_456_789n];
    for (let i = 0n; i < 2000n; i++) cases.push(1_764_197_001_000_000_000n - 1000n + i);
    for (const ts of cases) expect([ts, text.format(ts)]).toEqual([ts, ts.toString()]);
  });
});
