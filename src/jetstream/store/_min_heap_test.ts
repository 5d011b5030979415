import { expect, test } from "bun:test";
import { MinHeap } from "./_min_heap.ts";

test("MinHeap pops values in key order, whatever the push order", () => {
  const heap = new MinHeap<number>();
  let seed = 7;
  const keys: bigint[] = [];
  for (let i = 0; i < 500; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    keys.push(BigInt(seed % 1000));
    heap.push(keys[i], i);
  }
  const popped: bigint[] = [];
  while (heap.size > 0) {
    const key = heap.peekKey()!;
    const index = heap.pop()!;
    expect(keys[index]).toBe(key);
    popped.push(key);
  }
  expect(popped).toEqual([...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  expect(heap.pop()).toBeUndefined();
});
