import { describe, expect, test } from "bun:test";
import { parsePullRequest, type PullRequestResult } from "./pull_request.ts";

const enc = new TextEncoder();
const parse = (s: string) => parsePullRequest(enc.encode(s));
const one = {
  batch: 1,
  maxBytes: 0,
  noWait: false,
  expiresNs: 0n,
  heartbeatNs: 0n,
  priority: null,
};
const pg = { group: "", minPending: 0, minAckPending: 0, id: "", priority: 0 };

describe("parsePullRequest", () => {
  const cases: Array<[string, PullRequestResult]> = [
    ["", { ok: true, request: one }],
    ["  \r\n", { ok: true, request: one }],
    ["10", { ok: true, request: { ...one, batch: 10 } }],
    [" 7 ", { ok: true, request: { ...one, batch: 7 } }],
    ["-3", { ok: true, request: { ...one, batch: -3 } }],
    ["+4", { ok: true, request: { ...one, batch: 4 } }],
    ["ten", { ok: true, request: one }],
    ["{}", { ok: true, request: { ...one, batch: 0, priority: pg } }],
    ['{"batch":5,"expires":1000000000,"max_bytes":1024,"no_wait":true}', {
      ok: true,
      request: {
        ...one,
        batch: 5,
        expiresNs: 1_000_000_000n,
        maxBytes: 1024,
        noWait: true,
        priority: pg,
      },
    }],
    ['{"Batch":2,"EXPIRES":5}', {
      ok: true, request: { ...one, batch: 2, expiresNs: 5n, priority: pg },
    }],
    ['{"batch":1,"expires":10000000000,"idle_heartbeat":5000000000}', {
      ok: true,
      request: { ...one, expiresNs: 10_000_000_000n, heartbeatNs: 5_000_000_000n, priority: pg },
    }],
    ['{"batch":1,"expires":9000000000,"idle_heartbeat":5000000000}', {
      ok: false, error: "heartbeat value too large",
    }],
    ['{"idle_heartbeat":1}', { ok: false, error: "heartbeat value too large" }],
    ['{"group":"g","min_pending":5,"min_ack_pending":6,"id":"x","priority":3,"batch":1}', {
      ok: true,
      request: {
        ...one, priority: { group: "g", minPending: 5, minAckPending: 6, id: "x", priority: 3 },
      },
    }],
    ['{"batch":"5"}', {
      ok: false,
      error: "json: cannot unmarshal string into Go struct field " +
        "JSApiConsumerGetNextRequest.batch of type int",
    }],
    ['{"expires":1.5}', {
      ok: false,
      error: "json: cannot unmarshal number 1.5 into Go struct field " +
        "JSApiConsumerGetNextRequest.expires of type time.Duration",
    }],
    ['{"no_wait":1}', {
      ok: false,
      error: "json: cannot unmarshal number 1 into Go struct field " +
        "JSApiConsumerGetNextRequest.no_wait of type bool",
    }],
    ['{"batch":null,"unknown":[1,2]}', { ok: true, request: { ...one, batch: 0, priority: pg } }],
    ['{"batch":1', { ok: false, error: "unexpected end of JSON input" }],
  ];
  for (const [body, expected] of cases) {
    test(`reads ${JSON.stringify(body)}`, () => expect(parse(body)).toEqual(expected));
  }
});
