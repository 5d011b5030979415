import { describe, expect, test } from "bun:test";
import { FakeSource } from "../monitor/fake_source.ts";
import { WallClock } from "../monitor/wall_clock.ts";
import { ACCOUNT_ENDPOINTS, answer, filteredOut, type RequestContext, SERVER_ENDPOINTS,
} from "./requests.ts";

function context(): RequestContext {
  const source = new FakeSource();
  return { source, clock: new WallClock(source.clock), varz: () => ({ server_id: source.id }),
    statsz: () => ({}), jetStreamEnabled: () => false };
}

const body = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe("filteredOut", () => {
  test("name and host match by substring, or exactly with exact_match; tags must all match", () => {
    const ctx = context();
    const name = ctx.source.name;
    expect(filteredOut({}, ctx)).toBe(false);
    expect(filteredOut({ server_name: name.slice(1) }, ctx)).toBe(false);
    expect(filteredOut({ server_name: name.slice(1), exact_match: true }, ctx)).toBe(true);
    expect(filteredOut({ server_name: "other" }, ctx)).toBe(true);
    expect(filteredOut({ cluster: "c1" }, ctx)).toBe(true);
    expect(filteredOut({ tags: ["nope"] }, ctx)).toBe(true);
    expect(filteredOut({ domain: "hub" }, ctx)).toBe(true);
  });
});

describe("answer", () => {
  test("no body runs the service; a bad body answers 400; a failure 500; a filter skips", () => {
    const ctx = context();
    expect(answer(new Uint8Array(0), ctx, () => 1)).toEqual({ data: 1 });
    expect(answer(new TextEncoder().encode("{"), ctx, () => 1))
      .toMatchObject({ error: { code: 400 } });
    expect(answer(body({}), ctx, () => {
      throw new Error("boom");
    })).toEqual({ error: { code: 500, description: "boom" } });
    expect(answer(body({ server_name: "elsewhere" }), ctx, () => 1)).toBe("skip");
  });

  test("server and account endpoints build the monitor's documents", () => {
    const ctx = context();
    expect([...SERVER_ENDPOINTS.keys()]).toEqual(["VARZ", "SUBSZ", "CONNZ", "ROUTEZ",
      "GATEWAYZ", "LEAFZ", "ACCOUNTZ", "JSZ", "HEALTHZ", "IPQUEUESZ", "RAFTZ"]);
    expect(SERVER_ENDPOINTS.get("VARZ")!(ctx, {})).toEqual({ server_id: ctx.source.id });
    const connz = SERVER_ENDPOINTS.get("CONNZ")!(ctx, { limit: 1 }) as Record<string, unknown>;
    expect(connz.limit).toBe(1);
    expect(SERVER_ENDPOINTS.get("HEALTHZ")!(ctx, {}))
      .toEqual({ status: "ok", status_code: 200 });
    const subsz = ACCOUNT_ENDPOINTS.get("SUBSZ")!(ctx, {}, "$G") as Record<string, unknown>;
    expect(subsz).toHaveProperty("subscriptions_list");
    expect(ACCOUNT_ENDPOINTS.get("STATZ")!(ctx, {}, "PING")).toBe("skip");
  });
});
