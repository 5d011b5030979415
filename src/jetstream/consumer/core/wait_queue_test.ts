import { describe, expect, test } from "bun:test";
import type { PullPriority } from "./pull_request.ts";
import { WaitingRequest, WaitQueue } from "./wait_queue.ts";

function req(reply: string, batch: number, priority: number | null = null): WaitingRequest {
  const pg: PullPriority | null = priority === null
    ? null
    : { group: "g", minPending: 0, minAckPending: 0, id: "", priority };
  return new WaitingRequest(reply, batch, 0, false, null, 0n, 0n, null, pg);
}

const order = (q: WaitQueue) => {
  const out: string[] = [];
  for (let wr = q.head; wr !== null; wr = wr.next) out.push(wr.reply);
  return out;
};

describe("WaitQueue", () => {
  test("requests share deliveries round-robin and leave when done", () => {
    const q = new WaitQueue(10);
    q.add(req("a", 2));
    q.add(req("b", 1));
    q.add(req("c", 3));
    const served: string[] = [];
    for (let wr = q.pop(); wr !== null; wr = q.pop()) served.push(wr.reply);
    expect(served).toEqual(["a", "b", "c", "a", "c", "c"]);
    expect(q.isEmpty()).toBe(true);
    expect(q.tail).toBe(null);
  });

  test("a batch of 0 or less still takes one delivery", () => {
    const q = new WaitQueue(10);
    q.add(req("zero", 0));
    const wr = q.pop()!;
    expect(wr.n).toBe(-1);
    expect(wr.d).toBe(1);
    expect(q.length).toBe(0);
  });

  test("add refuses past max", () => {
    const q = new WaitQueue(2);
    expect(q.add(req("a", 1))).toBe(true);
    expect(q.add(req("b", 1))).toBe(true);
    expect(q.add(req("c", 1))).toBe(false);
    expect(q.isFull()).toBe(true);
  });

  test("remove keeps head and tail right", () => {
    const q = new WaitQueue(10);
    for (const r of ["a", "b", "c"]) q.add(req(r, 1));
    const b = q.head!.next!;
    q.remove(q.head, b);
    expect(order(q)).toEqual(["a", "c"]);
    q.remove(q.head, q.tail);
    expect(order(q)).toEqual(["a"]);
    expect(q.tail!.reply).toBe("a");
    q.add(req("d", 1));
    expect(order(q)).toEqual(["a", "d"]);
    q.cycle();
    expect(order(q)).toEqual(["d", "a"]);
    expect(q.find("a")!.reply).toBe("a");
    expect(q.drain().map((w) => w.reply)).toEqual(["d", "a"]);
    expect(q.length).toBe(0);
  });

  test("prioritized: lower priority first, FIFO within one, requeued behind equals", () => {
    const q = new WaitQueue(10);
    q.addPrioritized(req("p5", 1, 5));
    q.addPrioritized(req("none", 1));
    q.addPrioritized(req("p1a", 2, 1));
    q.addPrioritized(req("p1b", 1, 1));
    q.addPrioritized(req("p0", 1, 0));
    expect(order(q)).toEqual(["p0", "p1a", "p1b", "p5", "none"]);
    const served: string[] = [];
    for (let wr = q.popAndRequeue(); wr !== null; wr = q.popAndRequeue()) served.push(wr.reply);
    expect(served).toEqual(["p0", "p1a", "p1b", "p1a", "p5", "none"]);
  });
});
