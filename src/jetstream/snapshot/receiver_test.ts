import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ChunkHandler, RestoreReceiver } from "./receiver.ts";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "natsd-restore-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A receiver on a fake host; `send` delivers a chunk, `sent` records what it published. */
function receiver(inactivityMs = 60_000) {
  let handler: ChunkHandler | null = null;
  const sent: Array<[string, number]> = [];
  let finishedWith: Error | null | undefined;
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((r) => (resolveDone = r));
  const r = new RestoreReceiver({
    subscribe: (_s, onMessage) => {
      handler = onMessage;
      return () => (handler = null);
    },
    publish: (s, payload) => sent.push([s, payload.length]),
    warn: () => {},
  }, {
    subject: "$JS.SNAPSHOT.RESTORE.S.x", spoolDir: dir, label: "restore for stream 'A > S'",
    inactivityMs,
    finish: async () => new Uint8Array(7),
    chunkFailed: () => new Uint8Array(3),
    done: (error) => {
      finishedWith = error;
      resolveDone();
    },
  }, "x");
  const send = (reply: string, body: Uint8Array) => handler?.("s", reply, null, body);
  return { r, send, sent, done, subscribed: () => handler !== null,
    error: () => finishedWith };
}

describe("RestoreReceiver", () => {
  test("acks each chunk after it is spooled; the end gets the finish response", async () => {
    const t = receiver();
    await t.r.start();
    t.send("r1", new Uint8Array(10));
    t.send("r2", new Uint8Array(5));
    t.send("end", new Uint8Array(0));
    await t.done;
    expect(t.sent).toEqual([["r1", 0], ["r2", 0], ["end", 7]]);
    expect(t.r.bytes).toBe(15);
    expect(t.error()).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });

  test("a chunk without a reply subject ends the restore without an answer", async () => {
    const t = receiver();
    await t.r.start();
    t.send("", new Uint8Array(4));
    await t.done;
    expect(t.subscribed()).toBe(false);
    expect(t.sent).toEqual([]);
    expect(t.error()?.message).toBe(
      "restore for stream 'A > S' requires reply subject for each chunk");
  });

  test("no chunk within the inactivity limit: stalled", async () => {
    const t = receiver(20);
    await t.r.start();
    await t.done;
    expect(t.error()?.message).toBe("restore for stream 'A > S' is stalled");
    expect(t.subscribed()).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
