import { describe, expect, test } from "bun:test";
import { WallClock } from "../monitor/wall_clock.ts";
import {
  CONNECT_EVENT_TYPE, connectEvent, DISCONNECT_EVENT_TYPE, disconnectEvent, type EventClient,
  EventSubject, newEventId,
} from "./events.ts";

const clock = new WallClock({ nowMs: () => 1000 });

function client(extra: Partial<EventClient["connect"]> = {}): EventClient {
  return {
    cid: 7, socket: { remoteAddress: "10.0.0.1" }, websocket: false, startedAtMs: 500,
    rttMs: 0.25, inMsgs: 3, inBytes: 30, outMsgs: 4, outBytes: 40,
    connect: { user: "", nkey: "", name: "svc", lang: "go", version: "1.0", jwt: "",
      authToken: "", ...extra },
  };
}

describe("events", () => {
  test("connect events carry nats-server's client fields in its order", () => {
    const event = connectEvent(client({ user: "alice" }), "APP", clock, { id: "S" }) as
      Record<string, Record<string, unknown>>;
    expect(event.type as unknown).toBe(CONNECT_EVENT_TYPE);
    expect(Object.keys(event)).toEqual(["type", "id", "timestamp", "server", "client"]);
    expect(Object.keys(event.client).filter((k) => event.client[k] !== undefined)).toEqual([
      "start", "host", "id", "acc", "user", "name", "lang", "ver", "name_tag", "kind",
      "client_type"]);
    expect(event.client).toMatchObject({ id: 7, acc: "APP", user: "alice", kind: "Client",
      client_type: "nats" });
  });

  test("disconnect events add stop, rtt, traffic from the client's side and the reason", () => {
    const event = disconnectEvent(client({ authToken: "s3cr3t" }), "APP", "Client Closed",
      clock, null) as Record<string, unknown>;
    expect(event).toMatchObject({ type: DISCONNECT_EVENT_TYPE, reason: "Client Closed",
      sent: { msgs: 3, bytes: 30 }, received: { msgs: 4, bytes: 40 } });
    const c = event.client as Record<string, unknown>;
    expect(c.rtt).toBe(250_000);
    expect(c.user).toBe("[REDACTED]");
    expect(typeof c.stop).toBe("string");
  });

  test("subjects and ids", () => {
    expect(EventSubject.connect("A")).toBe("$SYS.ACCOUNT.A.CONNECT");
    expect(EventSubject.authError("N1")).toBe("$SYS.SERVER.N1.CLIENT.AUTH.ERR");
    expect(newEventId()).toMatch(/^[0-9A-Za-z]{22}$/);
    expect(newEventId()).not.toBe(newEventId());
  });
});
