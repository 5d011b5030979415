import { describe, expect, test } from "bun:test";
import { FakeClock } from "./clock.ts";
import { MemStore } from "./mem_store.ts";
import { runStoreCases } from "./store_cases.ts";

runStoreCases("MemStore", ({ limits, clock }) => Promise.resolve(new MemStore({ limits, clock })));

describe("MemStore", () => {
  test("msgSize uses nats-server's memory store accounting", () => {
    const store = new MemStore({ clock: new FakeClock() });
    expect(store.msgSize("abc", 4, 10)).toBe(3 + 4 + 10 + 16);
    expect(store.msgSize("ü", 0, 0)).toBe(2 + 16);
  });
});
