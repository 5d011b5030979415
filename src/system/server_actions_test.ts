import { describe, expect, test } from "bun:test";
import {
  cidOf, type CountedSublist, countSubscribers, kickClient, KICKED_REASON, ldmClient,
  parseNsubsRequest, parseSubscribersQuery, profilezData,
} from "./server_actions.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

function sub(subject: string, queue: string | null = null, internal = false) {
  return { subject, queue, internalHandler: internal ? () => {} : null };
}

/** A sublist over a fixed list, matching literal subjects against `*` / `>` patterns. */
function fakeSublist(subs: ReturnType<typeof sub>[]): CountedSublist {
  const matches = (literal: string, pattern: string) => {
    const l = literal.split(".");
    const p = pattern.split(".");
    for (let i = 0; i < p.length; i++) {
      if (p[i] === ">") return l.length > i;
      if (p[i] !== "*" && p[i] !== l[i]) return false;
    }
    return l.length === p.length;
  };
  return {
    match(subject) {
      const hit = subs.filter((s) => matches(subject, s.subject));
      const groups = new Map<string, typeof hit>();
      for (const s of hit.filter((s) => s.queue !== null)) {
        groups.set(s.queue!, [...(groups.get(s.queue!) ?? []), s]);
      }
      return { psubs: hit.filter((s) => s.queue === null), qsubs: [...groups.values()] };
    },
    all: () => subs,
  };
}

describe("countSubscribers", () => {
  const list = fakeSublist([
    sub("a.b"), sub("a.*"), sub("a.b", "q"), sub("a.b", "r"), sub("a.b", null, true), sub("x.>"),
  ]);

  test("a literal subject counts what a message would reach, client subscriptions only", () => {
    expect(countSubscribers(list, "a.b", null)).toBe(4);
    expect(countSubscribers(list, "a.b", "q")).toBe(1);
    expect(countSubscribers(list, "x.y.z", null)).toBe(1);
  });

  test("a wildcard counts subscriptions whose subject is a subset of it", () => {
    expect(countSubscribers(list, "a.*", null)).toBe(4);
    expect(countSubscribers(list, "a.*", "r")).toBe(1);
    expect(countSubscribers(list, ">", null)).toBe(5);
  });
});

describe("request bodies", () => {
  test("subscribers query: subject and optional queue", () => {
    expect(parseSubscribersQuery(bytes(" foo.bar  "))).toEqual({ subject: "foo.bar", queue: null });
    expect(parseSubscribersQuery(bytes("foo q1"))).toEqual({ subject: "foo", queue: "q1" });
  });

  test("NSUBS takes Go's base64 queue; bad bodies are dropped", () => {
    const queue = Buffer.from("grp").toString("base64");
    expect(parseNsubsRequest(bytes(JSON.stringify({ acc: "A", subject: "s", queue }))))
      .toEqual({ account: "A", subject: "s", queue: "grp" });
    expect(parseNsubsRequest(bytes(""))).toBeNull();
    expect(parseNsubsRequest(bytes("{"))).toBeNull();
  });

  test("KICK/LDM cid: missing is 0, undecodable is null", () => {
    expect(cidOf(bytes(`{"cid":7}`))).toBe(7);
    expect(cidOf(bytes("{}"))).toBe(0);
    expect(cidOf(bytes(""))).toBeNull();
    expect(cidOf(bytes(`{"cid":"7"}`))).toBeNull();
    expect(cidOf(bytes(`{"cid":-1}`))).toBeNull();
  });
});

describe("kick and lame duck", () => {
  function client(protocol: number, connectReceived = true) {
    const seen = { closed: "", sent: "" };
    return {
      seen,
      connect: { protocol },
      connectReceived,
      close: (reason: string) => { seen.closed = reason; },
      sendProtocol: (text: string) => { seen.sent = text; },
    };
  }

  test("KICK closes with Go's reason, or names the missing id", () => {
    const c = client(1);
    kickClient(new Map([[3, c]]), 3);
    expect(c.seen.closed).toBe(KICKED_REASON);
    expect(() => kickClient(new Map(), 3)).toThrow("no such client or leafnode id");
  });

  test("LDM needs protocol 1 after CONNECT", () => {
    const c = client(1);
    ldmClient(new Map([[1, c]]), 1, () => "INFO {}\r\n");
    expect(c.seen.sent).toBe("INFO {}\r\n");
    expect(() => ldmClient(new Map([[1, client(0)]]), 1, () => "")).toThrow(/Lame Duck Mode/);
    expect(() => ldmClient(new Map([[1, client(1, false)]]), 1, () => "")).toThrow(/not ready/);
    expect(() => ldmClient(new Map(), 1, () => "")).toThrow("no such client id");
  });
});

describe("profilez", () => {
  test("Go's texts for each refusal", () => {
    expect(profilezData({})).toEqual({ profile: null, error: "Profile name not specified" });
    expect(profilezData({ name: "cpu", duration: 20_000_000_000 })).toEqual({
      profile: null, error: "Duration 20s should be between 0s and 15s",
    });
    expect((profilezData({ name: "cpu", duration: 1_000_000_000 }) as { error: string }).error)
      .toStartWith("Failed to start CPU profile: ");
    expect((profilezData({ name: "goroutine" }) as { error: string }).error)
      .toStartWith(`Profile "goroutine" error: `);
    expect((profilezData({ name: "x" }) as { error: string }).error).toBe(`Profile "x" not found`);
  });
});
