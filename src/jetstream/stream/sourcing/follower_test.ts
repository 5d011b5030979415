import { beforeEach, describe, expect, test } from "bun:test";
import { Account } from "../../../accounts/account.ts";
import { InternalClient, InternalKind } from "../../../server/internal_client.ts";
import { FakeClock } from "../../store/mod.ts";
import { Follower, type FollowerHost } from "./follower.ts";
import { SyncTracker } from "./tracker.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | null) => (b === null ? "" : new TextDecoder().decode(b));
const MS = 1_000_000n;
const S = 1_000n * MS;

interface Sent { subject: string; reply: string; hdr: string; body: string }

let clock: FakeClock;
let account: Account;
let origin: InternalClient;
let requests: Sent[];
let published: Sent[];
let delivered: { subject: string; seq: number }[];
let tracker: SyncTracker;
let follower: Follower;

function makeFollower(kind: "mirror" | "source" = "source"): Follower {
  const client = new InternalClient(1, account, InternalKind.jetstream);
  const host: FollowerHost = {
    client, clock, stream: "M", account: "$G", domain: "", random: () => 0,
    startAt: () => ({ policy: "all" }),
    lastOriginSeq: () => tracker.sseq,
    deliver: (subject, _hdr, _payload, _reply, info) => {
      const v = tracker.onDelivery(info);
      if (v.kind === "store") delivered.push({ subject, seq: info.streamSeq });
      return v.kind !== "retry";
    },
    missedDeliveries: (last) => tracker.heartbeatMissedDeliveries(last),
    position: () => ({ dseq: tracker.dseq, sseq: tracker.sseq }),
  };
  return new Follower(host, kind, { name: "O" }, "JS_MIRROR_x");
}

beforeEach(() => {
  clock = new FakeClock(0n);
  account = new Account("$G");
  origin = new InternalClient(2, account, InternalKind.jetstream);
  requests = [];
  published = [];
  delivered = [];
  tracker = new SyncTracker(true, 0);
  origin.subscribe("$JS.API.CONSUMER.CREATE.>", (subject, reply, hdr, body) =>
    requests.push({ subject, reply, hdr: dec(hdr), body: dec(body) }));
  origin.subscribe("$JS.FC.>", (subject, reply, hdr, body) =>
    published.push({ subject, reply, hdr: dec(hdr), body: dec(body) }));
  origin.subscribe("$JS.API.CONSUMER.DELETE.>", (subject, reply, hdr, body) =>
    published.push({ subject, reply, hdr: dec(hdr), body: dec(body) }));
  origin.subscribe("stalled.>", (subject, reply, hdr, body) =>
    published.push({ subject, reply, hdr: dec(hdr), body: dec(body) }));
  follower = makeFollower();
});

const last = () => requests[requests.length - 1];
const config = () => JSON.parse(last().body).config;
const answer = (json: unknown) => origin.publish(last().reply, "", null, enc(JSON.stringify(json)));
const created = () => answer({ type: "t", name: config().name, config: config() });
const deliver = (subject: string, sseq: number, dseq: number, pending = 0) =>
  origin.publish(config().deliver_subject, `$JS.ACK.O.C.1.${sseq}.${dseq}.5.${pending}`, null,
    enc("x"));
const control = (hdr: string, reply = "") =>
  origin.publish(config().deliver_subject, reply, enc(`NATS/1.0 100 ${hdr}\r\n\r\n`),
    new Uint8Array(0));

describe("Follower", () => {
  test("a mirror asks at once (on the next timer turn), a source after the jitter", () => {
    const mirror = makeFollower("mirror");
    mirror.start();
    expect(requests.length).toBe(0);
    clock.advance(0n);
    expect(requests.length).toBe(1);
    mirror.stop();
  });

  test("asks after the jitter, with the API level header, and follows deliveries", () => {
    follower.start();
    clock.advance(99n * MS);
    expect(requests.length).toBe(0);
    clock.advance(1n * MS);
    expect(last().subject).toBe("$JS.API.CONSUMER.CREATE.O");
    expect(last().hdr).toBe("NATS/1.0\r\nNats-Required-Api-Level: 4\r\n\r\n");
    expect(last().reply).toMatch(/^\$JSC\.R\.[0-9A-Za-z]{8}$/);
    created();
    expect(follower.phase).toBe("active");
    deliver("o.1", 1, 1);
    deliver("o.2", 2, 2);
    expect(delivered.map((m) => m.seq)).toEqual([1, 2]);
    expect(follower.lastActiveNs).toBe(clock.nowNs());
  });

  test("an origin error is kept and retried after 2 s plus the back-off", () => {
    follower.start();
    clock.advance(100n * MS);
    answer({ type: "t", error: { code: 404, err_code: 10059, description: "stream not found" } });
    expect(follower.error).toEqual({ code: 404, err_code: 10059,
      description: "stream not found" });
    expect(follower.fails).toBe(1);
    clock.advance(11_999n * MS);
    expect(requests.length).toBe(1);
    clock.advance(101n * MS);
    expect(requests.length).toBe(2);
    created();
    expect([follower.error, follower.fails]).toEqual([null, 0]);
  });

  test("an origin that does not know sourcing consumers is asked again without it", () => {
    follower.start();
    clock.advance(100n * MS);
    answer({ type: "t", error: { code: 400, err_code: 10025, description: "invalid JSON" } });
    expect(follower.fails).toBe(0);
    clock.advance(100n * MS);
    expect(requests.length).toBe(2);
    expect(config().sourcing).toBeUndefined();
    expect(config().name).toMatch(/^JS_MIRROR_x_[0-9A-Za-z]{8}$/);
    expect(last().hdr).toBe("");
  });

  test("flow control is answered with the position; stalled consumers are nudged", () => {
    follower.start();
    clock.advance(100n * MS);
    created();
    deliver("o.1", 1, 1);
    control("FlowControl Request", "$JS.FC.O.C.abcd");
    expect(published[0]).toEqual({ subject: "$JS.FC.O.C.abcd", reply: "",
      hdr: "NATS/1.0\r\nNats-Last-Consumer: 1\r\nNats-Last-Stream: 1\r\n\r\n", body: "" });
    control("Idle Heartbeat\r\nNats-Last-Consumer: 1\r\nNats-Consumer-Stalled: stalled.x");
    expect(published[1].subject).toBe("stalled.x");
    expect(requests.length).toBe(1);
  });

  test("a heartbeat naming a later delivery asks for a new consumer", () => {
    follower.start();
    clock.advance(100n * MS);
    created();
    deliver("o.1", 1, 1);
    control("Idle Heartbeat\r\nNats-Last-Consumer: 3\r\nNats-Last-Stream: 3");
    expect(follower.phase).toBe("scheduled");
    clock.advance(2n * S + 100n * MS);
    expect(requests.length).toBe(2);
  });

  test("a consumer being replaced is deleted first", () => {
    follower.start();
    clock.advance(100n * MS);
    created();
    follower.retry();
    expect(published.map((p) => p.subject)).toEqual(["$JS.API.CONSUMER.DELETE.O.JS_MIRROR_x"]);
    follower.retry();
    expect(published.length).toBe(1);
  });

  test("silence past the health check interval asks for a new consumer", () => {
    follower.start();
    clock.advance(100n * MS);
    created();
    deliver("o.1", 1, 1);
    clock.advance(10n * S);
    expect(requests.length).toBe(1);
    clock.advance(10n * S + 200n * MS);
    expect(requests.length).toBe(2);
  });

  test("nobody serving the API: asked again after the threshold, no failure counted", () => {
    account = new Account("$G");
    follower = makeFollower();
    follower.start();
    clock.advance(100n * MS);
    expect(follower.requests).toBe(1);
    expect(follower.phase).toBe("scheduled");
    clock.advance(2n * S + 100n * MS);
    expect([follower.requests, follower.fails]).toEqual([2, 0]);
  });

  test("stop unsubscribes and cancels every timer", () => {
    follower.start();
    clock.advance(100n * MS);
    created();
    follower.stop();
    expect(clock.pendingTimers).toBe(0);
    expect(account.sublist.match(config().deliver_subject).psubs.length).toBe(0);
    deliver("o.1", 1, 1);
    expect(delivered).toEqual([]);
  });
});
