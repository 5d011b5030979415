import { describe, expect, test } from "bun:test";
import { InternalClient, InternalKind } from "../server/internal_client.ts";
import { Account } from "./account.ts";
import { REQUEST_INFO_HEADER } from "./import_sinks.ts";
import { AccountRegistry } from "./registry.ts";
import { type AccountConfig, emptyAccountConfig, type ResponseType } from "./types.ts";

const text = (b: Uint8Array | null) => (b === null ? "-" : new TextDecoder().decode(b));
const bytes = (s: string) => new TextEncoder().encode(s);

/** Accounts A (exporter) and B (importer) wired by a registry with a hand-moved clock. */
function setup(responseType: ResponseType = "Singleton", thresholdMs = 0) {
  const clock = { now: 0 };
  const a: AccountConfig = { ...emptyAccountConfig("A"),
    streamExports: [{ subject: "feed.>", accounts: null, accountTokenPosition: 0 }],
    serviceExports: [{ subject: "svc.*", accounts: ["B"], accountTokenPosition: 0,
      responseType, responseThresholdMs: thresholdMs }] };
  const b: AccountConfig = { ...emptyAccountConfig("B"),
    streamImports: [{ account: "A", subject: "feed.>", prefix: "a", to: "" }],
    serviceImports: [{ account: "A", subject: "svc.*", to: "svc.*", share: false }] };
  const warnings: string[] = [];
  const registry = new AccountRegistry(new Account("$G"), { accounts: [a, b], mappings: [],
    noSublistCache: false }, { nowMs: () => clock.now, warn: (w) => warnings.push(w) });
  const accountA = registry.accounts.get("A")!;
  const accountB = registry.accounts.get("B")!;
  const inA = new InternalClient(1, accountA, InternalKind.account);
  const inB = new InternalClient(2, accountB, InternalKind.account);
  return { clock, registry, accountA, accountB, inA, inB, warnings };
}

function collect(client: InternalClient, subject: string): string[] {
  const got: string[] = [];
  client.subscribe(subject, (s, r, h, p) => got.push(`${s}|${r}|${text(h)}|${text(p)}`));
  return got;
}

describe("stream imports", () => {
  test("the exporter's messages reach the importer under the prefix", () => {
    const { inA, inB, warnings } = setup();
    expect(warnings).toEqual([]);
    const got = collect(inB, "a.feed.>");
    const local = collect(inB, "feed.>");
    expect(inA.publish("feed.x", "r", null, bytes("1"))).toBe(true);
    expect(got).toEqual(["a.feed.x|r|-|1"]);
    expect(local).toEqual([]);
  });
});

describe("service imports and responses", () => {
  test("a request gets a _R_ reply in the exporter; one response goes back (singleton)", () => {
    const { inA, inB, registry, accountA } = setup();
    const requests = collect(inA, "svc.*");
    const responses = collect(inB, "inbox.1");
    expect(inB.publish("svc.echo", "inbox.1", null, bytes("q"))).toBe(true);
    expect(requests).toHaveLength(1);
    const [subject, reply, headers] = requests[0].split("|");
    expect(subject).toBe("svc.echo");
    expect(reply).toMatch(/^_R_\.[0-9A-Za-z]{6}\.[0-9A-Za-z]{6}$/);
    // Internal publishers carry no client info (nats-server: none for system clients).
    expect(headers).toBe("-");
    expect(registry.pendingResponses(accountA)).toBe(1);
    inA.publish(reply, "", null, bytes("r1"));
    inA.publish(reply, "", null, bytes("r2"));
    expect(responses).toEqual(["inbox.1||-|r1"]);
    expect(registry.pendingResponses(accountA)).toBe(0);
  });

  test("streamed responses flow until an empty message", () => {
    const { inA, inB, registry, accountA } = setup("Streamed");
    const requests = collect(inA, "svc.*");
    const responses = collect(inB, "inbox.2");
    inB.publish("svc.s", "inbox.2", null, bytes(""));
    const reply = requests[0].split("|")[1];
    for (const part of ["1", "2", ""]) inA.publish(reply, "", null, bytes(part));
    inA.publish(reply, "", null, bytes("late"));
    expect(responses).toEqual(["inbox.2||-|1", "inbox.2||-|2", "inbox.2||-|"]);
    expect(registry.pendingResponses(accountA)).toBe(0);
  });

  test("a request nobody receives is not delivered and leaves no mapping", () => {
    const { inB, registry, accountA } = setup();
    expect(inB.publish("svc.none", "inbox.3", null, bytes("q"))).toBe(false);
    expect(registry.pendingResponses(accountA)).toBe(0);
  });

  test("mappings expire after the export's response threshold", () => {
    const { inA, inB, registry, accountA, clock } = setup("Streamed", 1000);
    collect(inA, "svc.*");
    inB.publish("svc.x", "inbox.4", null, bytes("q"));
    const router = registry.routerOf(accountA);
    clock.now = 999;
    expect(router.expire()).toBe(1);
    expect(router.pending).toBe(1);
    clock.now = 1000;
    expect(router.expire()).toBe(Infinity);
    expect(router.pending).toBe(0);
  });

  test("the requester's client info travels in Nats-Request-Info, replacing a forged one", () => {
    const { inA, accountB } = setup();
    const requests = collect(inA, "svc.*");
    // A publisher that can describe itself, as client connections do.
    const origin = new InternalClient(3, accountB, InternalKind.account) as InternalClient &
      { requestInfo: (detailed: boolean) => Record<string, unknown> };
    origin.requestInfo = (detailed) => ({ acc: "B", rtt: 5, ...(detailed ? { id: 3 } : {}) });
    const forged = bytes(`NATS/1.0\r\n${REQUEST_INFO_HEADER}: {"acc":"ADMIN"}\r\nX: 1\r\n\r\n`);
    origin.publish("svc.who", "", forged, bytes("q"));
    expect(requests[0].split("|")[2])
      .toBe(`NATS/1.0\r\nX: 1\r\n${REQUEST_INFO_HEADER}: {"acc":"B","rtt":5}\r\n\r\n`);
  });
});
