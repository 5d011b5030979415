/**
 * Consumer creation for mirrors and sources, in process: the 2.9-style request (ephemeral,
 * direct, ack none, flow control, heartbeats) and 2.14's sourcing request (direct + sourcing +
 * a stable name), which on interest and work-queue streams becomes a durable with flow_control
 * acks and on limits streams gets a random suffix; a returning durable sourcing consumer resumes
 * from its ack floor; direct and sourcing consumers stay out of the work-queue overlap rules.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { TestBed } from "../_test_bed.ts";

let bed: TestBed;
beforeEach(async () => {
  bed = await TestBed.start();
});
afterEach(async () => {
  await bed.close();
});

type Json = Record<string, unknown>;
const SECOND = 1_000_000_000;
const enc = new TextEncoder();

async function stream(name: string, extra: Json = {}, count = 3): Promise<void> {
  await bed.api(`$JS.API.STREAM.CREATE.${name}`, { name, subjects: [`${name}.>`], ...extra });
  await publish(name, count);
}

async function publish(name: string, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) await bed.publish(`${name}.${i}`, `m${i}`);
}

/** What a 2.9 mirror/source asks for (setupMirrorConsumer / trySetupSourceConsumer). */
function legacyRequest(deliver: string): Json {
  return { deliver_subject: deliver, deliver_policy: "all", ack_policy: "none",
    ack_wait: 22 * 3600 * SECOND, max_deliver: 1, flow_control: true, idle_heartbeat: SECOND,
    inactive_threshold: 10 * SECOND, direct: true };
}

/** What a 2.14 source asks for: a stable name and the sourcing flag. */
function sourcingRequest(deliver: string, name: string): Json {
  return { ...legacyRequest(deliver), name, sourcing: true };
}

/** Collects deliveries (subjects) and flow control requests (their replies) on `deliver`. */
interface Collected {
  subjects: string[];
  /** Each delivery's count from its ack reply subject. */
  counts: number[];
  fc: string[];
  stop(): void;
}

function collect(deliver: string): Collected {
  const out: Collected = { subjects: [], counts: [], fc: [], stop: () => {} };
  const sub = bed.client.subscribe(deliver, (subject, reply, hdr) => {
    const status = hdr === null ? "" : new TextDecoder().decode(hdr);
    if (status.includes("FlowControl Request")) out.fc.push(reply);
    else if (!status.includes("Idle Heartbeat")) {
      out.subjects.push(subject);
      out.counts.push(Number(reply.split(".")[4]));
    }
  });
  out.stop = () => bed.client.unsubscribe(sub);
  return out;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("consumers for mirrors and sources", () => {
  test("the 2.9-style request is an ephemeral direct push consumer with flow control",
    async () => {
      await stream("L", { retention: "workqueue" });
      await bed.api("$JS.API.CONSUMER.CREATE.L.w", { stream_name: "L",
        config: { durable_name: "w", ack_policy: "explicit" } });
      const got = collect("$JS.S.abc");
      const r = await bed.api("$JS.API.CONSUMER.CREATE.L", { stream_name: "L",
        config: legacyRequest("$JS.S.abc") });
      expect(r.error).toBeUndefined();
      const config = r.config as Json;
      expect([config.direct, config.ack_policy, config.flow_control, config.durable_name])
        .toEqual([true, "none", true, undefined]);
      await settle();
      expect(got.subjects).toEqual(["L.1", "L.2", "L.3"]);
    });

  test("2.14 sourcing on a work-queue stream: a durable with flow_control acks", async () => {
    await stream("W", { retention: "workqueue" });
    const got = collect("$JS.S.w1");
    const r = await bed.api("$JS.API.CONSUMER.CREATE.W.src", { stream_name: "W",
      config: sourcingRequest("$JS.S.w1", "src") });
    expect(r.error).toBeUndefined();
    expect(r.name).toBe("src");
    const config = r.config as Json;
    expect([config.durable_name, config.direct, config.ack_policy, config.ack_wait,
      config.max_deliver, config.inactive_threshold, (config.metadata as Json)["_nats.req.level"]])
      .toEqual(["src", undefined, "flow_control", undefined, -1, undefined, "4"]);
    await settle();
    expect(got.subjects).toEqual(["W.1", "W.2", "W.3"]);
    // Idle with unacked messages: the heartbeat brings a flow control request, and its reply
    // is the ack, so the work queue lets go of what the source stored.
    expect(got.fc).toEqual([]);
    bed.clock.advance(BigInt(SECOND));
    await settle();
    expect(got.fc.length).toBe(1);
    const reply = got.fc[0];
    bed.client.publish(reply, "",
      enc.encode("NATS/1.0\r\nNats-Last-Consumer: 2\r\nNats-Last-Stream: 2\r\n\r\n"),
      new Uint8Array(0));
    await settle();
    const info = await bed.api("$JS.API.STREAM.INFO.W");
    expect((info.state as Json).first_seq).toBe(3);
  });

  test("a returning durable sourcing consumer resumes from its ack floor", async () => {
    // An interest stream keeps messages only once someone is interested.
    await stream("I", { retention: "interest" }, 0);
    const first = collect("$JS.S.i1");
    await bed.api("$JS.API.CONSUMER.CREATE.I.src", { stream_name: "I",
      config: sourcingRequest("$JS.S.i1", "src") });
    await publish("I", 3);
    await settle();
    expect(first.subjects).toEqual(["I.1", "I.2", "I.3"]);
    bed.clock.advance(BigInt(SECOND));
    await settle();
    bed.client.publish(first.fc[0], "",
      enc.encode("NATS/1.0\r\nNats-Last-Consumer: 1\r\nNats-Last-Stream: 1\r\n\r\n"),
      new Uint8Array(0));
    // The source went away (its subscription with it) and comes back on a new inbox.
    first.stop();
    const again = collect("$JS.S.i2");
    const r = await bed.api("$JS.API.CONSUMER.CREATE.I.src", { stream_name: "I",
      config: { ...sourcingRequest("$JS.S.i2", "src"), deliver_policy: "by_start_sequence",
        opt_start_seq: 3 } });
    expect(r.error).toBeUndefined();
    // The deliver policy is the existing consumer's; delivery starts over above the ack
    // floor as first deliveries (not redeliveries of pending messages).
    expect((r.config as Json).deliver_policy).toBe("all");
    await settle();
    expect([again.subjects, again.counts]).toEqual([["I.2", "I.3"], [1, 1]]);
  });

  test("2.14 sourcing on a limits stream keeps ack none and gets a random name suffix",
    async () => {
      await stream("S");
      const r = await bed.api("$JS.API.CONSUMER.CREATE.S", { stream_name: "S",
        config: sourcingRequest("$JS.S.s1", "src") });
      expect(r.error).toBeUndefined();
      expect(r.name as string).toMatch(/^src-[0-9A-Za-z]{8}$/);
      expect([(r.config as Json).direct, (r.config as Json).ack_policy]).toEqual([true, "none"]);
    });
});
