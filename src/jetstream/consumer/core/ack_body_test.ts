import { describe, expect, test } from "bun:test";
import { type AckVerb, parseAckBody, parseNakDelay } from "./ack_body.ts";

const enc = new TextEncoder();

describe("parseAckBody", () => {
  const cases: Array<[string, AckVerb]> = [
    ["", { kind: "ack" }],
    ["+ACK", { kind: "ack" }],
    ["+OK", { kind: "ack" }],
    ["+ACK ", { kind: "unknown" }],
    ["+ACKED", { kind: "unknown" }],
    ["-NAK", { kind: "nak", delayNs: null }],
    ["-NAK 5s", { kind: "nak", delayNs: 5_000_000_000n }],
    ["-NAK   1m30s  ", { kind: "nak", delayNs: 90_000_000_000n }],
    ['-NAK {"delay": 2000000000}', { kind: "nak", delayNs: 2_000_000_000n }],
    ['-NAK {"delay":0}', { kind: "nak", delayNs: 0n }],
    ["-NAK {}", { kind: "nak", delayNs: 0n }],
    ['-NAK {"delay":"1s"}', { kind: "nak", delayNs: null }],
    ['-NAK {"delay":1.5}', { kind: "nak", delayNs: null }],
    ["-NAK {broken", { kind: "nak", delayNs: null }],
    ["-NAK soon", { kind: "nak", delayNs: null }],
    ["-NAKsoon", { kind: "nak", delayNs: null }],
    ["+WPI", { kind: "progress" }],
    ["+WPI ", { kind: "unknown" }],
    ["+TERM", { kind: "term", reason: "" }],
    ["+TERM  bad payload \r\n", { kind: "term", reason: "bad payload" }],
    ["+TERMinate", { kind: "term", reason: "inate" }],
    ["hello", { kind: "unknown" }],
  ];
  for (const [body, expected] of cases) {
    test(`reads ${JSON.stringify(body)}`, () => {
      expect(parseAckBody(enc.encode(body))).toEqual(expected);
    });
  }

  test("+NXT hands the rest over as a pull request body", () => {
    const verb = parseAckBody(enc.encode('+NXT {"batch":3}'));
    expect(verb.kind).toBe("next");
    expect(new TextDecoder().decode((verb as { request: Uint8Array }).request)).toBe(
      ' {"batch":3}',
    );
    expect((parseAckBody(enc.encode("+NXT")) as { request: Uint8Array }).request.length).toBe(0);
  });
});

describe("parseNakDelay", () => {
  test("negative durations are kept (the message is due at once)", () => {
    expect(parseNakDelay("-1s")).toBe(-1_000_000_000n);
  });
  test("an empty argument is a plain NAK", () => {
    expect(parseNakDelay("")).toBe(null);
  });
});
