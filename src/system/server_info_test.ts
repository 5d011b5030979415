import { describe, expect, test } from "bun:test";
import { WallClock } from "../monitor/wall_clock.ts";
import { ServerCapability, ServerInfoStamp } from "./server_info.ts";

describe("ServerInfoStamp", () => {
  test("stamps a rising sequence; empty tags and metadata are left out", () => {
    const server = { id: "NID", name: "n1", jetStreamEnabled: () => false,
      options: { host: "0.0.0.0", serverTags: [], serverMetadata: {}, featureFlags: {} } };
    const stamp = new ServerInfoStamp(server, new WallClock({ nowMs: () => 0 }));
    const first = stamp.next() as Record<string, unknown>;
    expect(Object.keys(first).filter((k) => first[k] !== undefined)).toEqual(["name", "host",
      "id", "ver", "jetstream", "flags", "seq", "time"]);
    expect([first.seq, (stamp.next() as Record<string, unknown>).seq]).toEqual([1, 2]);
    expect(first.flags).toBe(0);
  });

  test("JetStream sets its capability flags; tags and metadata appear when set", () => {
    const server = { id: "NID", name: "n1", jetStreamEnabled: () => true,
      options: { host: "h", serverTags: ["az:1"], serverMetadata: { team: "a" },
        featureFlags: {} } };
    const info = new ServerInfoStamp(server, new WallClock({ nowMs: () => 0 })).next() as
      Record<string, unknown>;
    expect(info.flags).toBe(ServerCapability.jetStreamEnabled |
      ServerCapability.binaryStreamSnapshot);
    expect(info.tags).toEqual(["az:1"]);
    expect(info.metadata).toEqual(new Map([["team", "a"]]));
  });
});
