import { describe, expect, test } from "bun:test";
import { flowWindow, type SenderHost, sendSnapshot } from "./sender.ts";

interface Sent {
  subject: string;
  reply: string;
  hdr: string | null;
  size: number;
}

/** A host that records publishes; acks are delivered by calling `ack()`. */
function fakeHost(interest: () => boolean = () => true) {
  const sent: Sent[] = [];
  let onAck: (() => void) | null = null;
  const host: SenderHost = {
    publish: (subject, reply, hdr, payload) => sent.push({ subject, reply,
      hdr: hdr === null ? null : new TextDecoder().decode(hdr), size: payload.length }),
    subscribe: (_subject, onMessage) => {
      onAck = onMessage;
      return () => (onAck = null);
    },
    hasInterest: interest,
    newId: () => "ID",
  };
  return { host, sent, ack: () => onAck?.() };
}

async function* bytes(n: number): AsyncGenerator<Uint8Array> {
  yield new Uint8Array(n);
}

describe("sendSnapshot", () => {
  test("clamps chunk and window as Go does", () => {
    expect(flowWindow()).toEqual({ chunk: 128 * 1024, inflight: 64 });
    expect(flowWindow(1, 1)).toEqual({ chunk: 1024, inflight: 1 });
    expect(flowWindow(8 << 20, 64 << 20)).toEqual({ chunk: 1 << 20, inflight: 32 });
    expect(flowWindow(4096, 1024)).toEqual({ chunk: 4096, inflight: 1 });
  });

  test("at most window / chunk chunks wait for acks; no ack in time ends with 408", async () => {
    const { host, sent } = fakeHost();
    const error = await sendSnapshot(host, { stream: "S", deliverSubject: "d", chunkSize: 1024,
      windowSize: 2048, ackTimeoutMs: 30 }, bytes(10 * 1024));
    expect(error?.message).toBe("no flow response");
    expect(sent.map((s) => s.reply)).toEqual(["$JS.SNAPSHOT.ACK.S.ID.1024.1",
      "$JS.SNAPSHOT.ACK.S.ID.1024.2", ""]);
    expect(sent[2]).toEqual({ subject: "d", reply: "", size: 0,
      hdr: "NATS/1.0 408 No Flow Response\r\n\r\n" });
  });

  test("acks free slots; the short tail has no reply; the end is 204", async () => {
    const fake = fakeHost();
    const origPublish = fake.host.publish;
    fake.host.publish = (s, r, h, p) => {
      origPublish(s, r, h, p);
      if (r !== "") queueMicrotask(fake.ack);
    };
    const error = await sendSnapshot(fake.host, { stream: "S", deliverSubject: "d",
      chunkSize: 1024, windowSize: 1024 }, bytes(3 * 1024 + 10));
    expect(error).toBeNull();
    expect(fake.sent.map((s) => [s.reply, s.size, s.hdr])).toEqual([
      ["$JS.SNAPSHOT.ACK.S.ID.1024.1", 1024, null], ["$JS.SNAPSHOT.ACK.S.ID.1024.2", 1024, null],
      ["$JS.SNAPSHOT.ACK.S.ID.1024.3", 1024, null], ["", 10, null],
      ["", 0, "NATS/1.0 204\r\n\r\n"]]);
  });

  test("a receiver that leaves ends the transfer with 408 No Interest", async () => {
    let calls = 0;
    const { host, sent } = fakeHost(() => ++calls < 3);
    const error = await sendSnapshot(host, { stream: "S", deliverSubject: "d", chunkSize: 1024 },
      bytes(5 * 1024));
    expect(error?.message).toBe("no interest");
    expect(sent.at(-1)?.hdr).toBe("NATS/1.0 408 No Interest\r\n\r\n");
  });

  test("a failing archive ends with 500 and its error", async () => {
    const { host, sent } = fakeHost();
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(10);
      throw new Error("disk gone");
    }
    const error = await sendSnapshot(host, { stream: "S", deliverSubject: "d" }, failing());
    expect(error?.message).toBe("disk gone");
    expect(sent).toEqual([{ subject: "d", reply: "", size: 0,
      hdr: "NATS/1.0 500 disk gone\r\n\r\n" }]);
  });
});
