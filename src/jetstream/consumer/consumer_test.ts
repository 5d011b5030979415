import { describe, expect, test } from "bun:test";
import { Account } from "../../accounts/account.ts";
import { InternalClient, InternalKind } from "../../server/internal_client.ts";
import { FakeClock, MemStore } from "../store/mod.ts";
import type { ConsumerConfig } from "./config.ts";
import { Consumer, type ConsumerHost } from "./consumer.ts";
import { MemConsumerStore } from "./store/mod.ts";
import { watchedSubjectCount } from "./delivery_interest.ts";
import { StreamImportSink } from "../../accounts/import_sinks.ts";
import type { StreamImportLink } from "../../accounts/links.ts";
import { Subscription } from "../../client/subscription.ts";

const enc = new TextEncoder();
const MS = 1_000_000n;

/** A consumer store whose writes become durable only when the test says so. */
class GatedStore extends MemConsumerStore {
  #open: Array<() => void> = [];
  override flushed(): Promise<void> {
    return new Promise((resolve) => this.#open.push(resolve));
  }
  release(): void {
    for (const resolve of this.#open.splice(0)) resolve();
  }
}

interface Setup {
  consumer: Consumer;
  client: InternalClient;
  clock: FakeClock;
  stream: MemStore;
  inactive: string[];
}

function setup(config: Partial<ConsumerConfig>, store = new GatedStore({
  ackPolicy: "explicit", maxDeliver: -1, meta: new Uint8Array(0),
})): Setup {
  const account = new Account("A");
  const client = new InternalClient(1, account, InternalKind.jetstream);
  const clock = new FakeClock();
  const stream = new MemStore({ clock });
  const inactive: string[] = [];
  const host: ConsumerHost = {
    account, client, clock, domain: "", streamName: "S", store: stream, retention: "limits",
    maxMsgsPerSubject: -1, rateBurstBytes: 1 << 20,
    newId: () => "ID", warn: () => {}, streamAck: () => {},
    inactive: (c) => inactive.push(c.name), reset: () => {},
  };
  const full: ConsumerConfig = {
    durable_name: "C", deliver_policy: "all", ack_policy: "explicit", replay_policy: "instant",
    max_deliver: -1, max_ack_pending: 1000, num_replicas: 0, ack_wait: 30_000n * MS,
    ...config,
  };
  const consumer = new Consumer(host, { name: "C", config: full, createdNs: clock.nowNs(), store });
  consumer.start();
  return { consumer, client, clock, stream, inactive };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

function store(s: Setup, subject: string): void {
  const { seq } = s.stream.storeMsg(subject, null, enc.encode(subject));
  s.consumer.core.streamMsg(seq, subject);
  s.consumer.schedule();
}

describe("Consumer driver", () => {
  test("an ack-sync reply waits until the consumer store is durable", async () => {
    const gated = new GatedStore({ ackPolicy: "explicit", maxDeliver: -1,
      meta: new Uint8Array(0) });
    const s = setup({ max_waiting: 512 }, gated);
    const replies: string[] = [];
    let ackSubject = "";
    s.client.subscribe("inbox", (_subject, reply) => (ackSubject = reply));
    s.client.subscribe("confirm", (subject) => replies.push(subject));
    store(s, "a");
    s.client.publish("$JS.API.CONSUMER.MSG.NEXT.S.C", "inbox", null, new Uint8Array(0));
    await tick();
    expect(ackSubject).toMatch(/^\$JS\.ACK\.S\.C\.1\.1\.1\./);
    s.client.publish(ackSubject, "confirm", null, enc.encode("+ACK"));
    await tick();
    expect(replies).toEqual([]);
    gated.release();
    await tick();
    expect(replies).toEqual(["confirm"]);
  });

  test("a push consumer starts delivering when someone subscribes to its deliver subject",
    async () => {
      const s = setup({ deliver_subject: "out" });
      store(s, "a");
      await tick();
      const got: string[] = [];
      s.client.subscribe("out", (subject) => got.push(subject));
      expect(got).toEqual([]);
      // Notified by the sublist: no time has to pass.
      await tick();
      expect(got).toEqual(["a"]);
    });

  test("push interest is a subscription on exactly the deliver subject, as nats-server's",
    async () => {
      const s = setup({ deliver_subject: "out.x" });
      const got: string[] = [];
      s.client.subscribe("out.*", (subject) => got.push(`wild ${subject}`));
      s.client.subscribe("out.x", (subject) => got.push(`queue ${subject}`), "q");
      store(s, "a");
      await tick();
      expect([s.consumer.core.pushActive, got]).toEqual([false, []]);
      const exact = s.client.subscribe("out.x", (subject) => got.push(`exact ${subject}`));
      await tick();
      expect(s.consumer.core.pushActive).toBe(true);
      expect(got.sort()).toEqual(["exact a", "queue a", "wild a"]);
      s.client.unsubscribe(exact);
      await tick();
      expect(s.consumer.core.pushActive).toBe(false);
    });

  test("a deliver_group consumer counts only members of its queue group", async () => {
    const s = setup({ deliver_subject: "out", deliver_group: "workers" });
    const got: string[] = [];
    s.client.subscribe("out", () => got.push("plain"));
    s.client.subscribe("out", () => got.push("other"), "others");
    store(s, "a");
    await tick();
    expect([s.consumer.core.pushActive, got]).toEqual([false, []]);
    s.client.subscribe("out", () => got.push("worker"), "workers");
    await tick();
    expect(s.consumer.core.pushActive).toBe(true);
    expect(got.sort()).toEqual(["other", "plain", "worker"]);
  });

  test("push interest can come through a stream import from another account", async () => {
    const s = setup({ deliver_subject: "out" });
    const importer = new Account("B");
    const link = { to: "in.out", transform: null, usePublished: false } as unknown as
      StreamImportLink;
    const sink = new StreamImportSink(link, importer);
    s.client.account.sublist.insert(new Subscription(sink, "out", null, "1") as Subscription);
    store(s, "a");
    await tick();
    expect(s.consumer.core.pushActive).toBe(false);
    const b = new InternalClient(2, importer, InternalKind.jetstream);
    const got: string[] = [];
    const sub = b.subscribe("in.out", (subject) => got.push(subject));
    await tick();
    expect([s.consumer.core.pushActive, got]).toEqual([true, ["a"]]);
    b.unsubscribe(sub);
    await tick();
    expect(s.consumer.core.pushActive).toBe(false);
  });

  test("a stopped consumer watches nothing", async () => {
    const before = watchedSubjectCount();
    const s = setup({ deliver_subject: "watched.out" });
    expect(watchedSubjectCount()).toBe(before + 1);
    await s.consumer.stop({ deleted: false, advisory: false });
    expect(watchedSubjectCount()).toBe(before);
  });

  test("a push ephemeral whose subscriber left goes after its inactive threshold", async () => {
    const s = setup({ durable_name: undefined, deliver_subject: "out",
      inactive_threshold: 1_000n * MS });
    const sub = s.client.subscribe("out", () => {});
    s.clock.advance(300n * MS);
    await tick();
    s.client.unsubscribe(sub);
    s.clock.advance(300n * MS);
    await tick();
    expect(s.inactive).toEqual([]);
    s.clock.advance(1_000n * MS);
    await tick();
    expect(s.inactive).toEqual(["C"]);
  });

  test("MSG.NEXT asking for a newer API level gets 412", async () => {
    const s = setup({ max_waiting: 512 });
    const got: string[] = [];
    s.client.subscribe("inbox", (_s, _r, hdr) => got.push(new TextDecoder().decode(hdr!)));
    s.client.publish("$JS.API.CONSUMER.MSG.NEXT.S.C", "inbox",
      enc.encode("NATS/1.0\r\nNats-Required-Api-Level: 99\r\n\r\n"), new Uint8Array(0));
    await tick();
    expect(got).toEqual(["NATS/1.0 412 Required Api Level\r\n\r\n"]);
  });

  test("long backlogs are delivered in rounds that let I/O in", async () => {
    const s = setup({ deliver_subject: "out", max_ack_pending: -1 });
    let count = 0;
    s.client.subscribe("out", () => count++);
    s.clock.advance(20n * MS);
    for (let i = 0; i < 5000; i++) store(s, "m");
    for (let i = 0; i < 10 && count < 5000; i++) await tick();
    expect(count).toBe(5000);
  });

  test("stop unsubscribes and the consumer answers nothing any more", async () => {
    const s = setup({ max_waiting: 512 });
    await s.consumer.stop({ deleted: false, advisory: false });
    const delivered = s.client.publish("$JS.API.CONSUMER.MSG.NEXT.S.C", "inbox", null,
      new Uint8Array(0));
    expect(delivered).toBe(false);
  });
});
