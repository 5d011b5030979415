import { describe, expect, test } from "bun:test";
import { SyncTracker } from "./tracker.ts";

const d = (streamSeq: number, consumerSeq: number, pending = 0, delivered = 1) =>
  ({ delivered, streamSeq, consumerSeq, tsNs: 1n, pending });

describe("SyncTracker (mirror)", () => {
  test("stores in order, ignores what it has, skips origin gaps", () => {
    const t = new SyncTracker(true, 0);
    expect(t.onDelivery(d(1, 1, 5))).toEqual({ kind: "store", skipFrom: 0 });
    expect(t.lag).toBe(4);
    expect(t.onDelivery(d(1, 2))).toEqual({ kind: "ignore" });
    expect(t.dseq).toBe(2);
    expect(t.onDelivery(d(5, 3))).toEqual({ kind: "store", skipFrom: 2 });
    expect([t.sseq, t.dseq]).toEqual([5, 3]);
  });

  test("a lost delivery asks for a new consumer", () => {
    const t = new SyncTracker(true, 10);
    expect(t.onDelivery(d(11, 1))).toEqual({ kind: "store", skipFrom: 0 });
    expect(t.onDelivery(d(13, 3))).toEqual({ kind: "retry" });
  });

  test("redeliveries are ignored; rollback restores the position", () => {
    const t = new SyncTracker(true, 0);
    expect(t.onDelivery(d(1, 1, 0, 2))).toEqual({ kind: "ignore" });
    t.onDelivery(d(1, 1));
    t.rollback(0, 0);
    expect([t.sseq, t.dseq]).toEqual([0, 0]);
  });
});

describe("SyncTracker (source)", () => {
  test("the first delivery of a consumer may start anywhere, later ones must follow", () => {
    const t = new SyncTracker(false, 3);
    t.restart(3);
    expect(t.onDelivery(d(9, 4))).toEqual({ kind: "store", skipFrom: 0 });
    expect(t.onDelivery(d(10, 5))).toEqual({ kind: "store", skipFrom: 0 });
    expect(t.onDelivery(d(12, 7))).toEqual({ kind: "retry" });
    expect(t.onDelivery(d(12, 5))).toEqual({ kind: "ignore" });
    expect(t.sseq).toBe(10);
  });

  test("heartbeats name the last delivery: a different one means a loss", () => {
    const t = new SyncTracker(false, 0);
    t.onDelivery(d(1, 1));
    expect(t.heartbeatMissedDeliveries(1)).toBe(false);
    expect(t.heartbeatMissedDeliveries(0)).toBe(false);
    expect(t.heartbeatMissedDeliveries(2)).toBe(true);
  });
});
