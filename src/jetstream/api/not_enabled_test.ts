import { describe, expect, test } from "bun:test";
import { notEnabledResponse } from "./not_enabled.ts";

const parsed = (subject: string) => JSON.parse(notEnabledResponse(subject) ?? "null");

describe("notEnabledResponse", () => {
  test("answers with the request's own type and 10039", () => {
    const r = parsed("STREAM.INFO.ORDERS");
    expect(r.type).toBe("io.nats.jetstream.api.v1.stream_info_response");
    expect(r.error).toEqual({ code: 503, err_code: 10039,
      description: "JetStream not enabled for account" });
  });

  test("paged responses carry their empty paging fields", () => {
    expect(parsed("CONSUMER.LIST.ORDERS")).toMatchObject({ total: 0, offset: 0, limit: 0,
      consumers: [] });
    expect(parsed("STREAM.NAMES").streams).toBeNull();
  });

  test("step-down requests say clustering is required, as a non-clustered nats-server does", () => {
    expect(parsed("STREAM.LEADER.STEPDOWN.ORDERS").error.err_code).toBe(10010);
  });

  test("pull requests, unknown subjects and prefixes without a name get nothing", () => {
    for (const subject of ["CONSUMER.MSG.NEXT.S.C", "BOGUS", "STREAM.INFO.", "STREAM.NAMESX"]) {
      expect(notEnabledResponse(subject)).toBeNull();
    }
  });
});
