import { expect, test } from "bun:test";
import { ProcessUsage, type UsageReader } from "./process_usage.ts";

class FakeReader implements UsageReader {
  cpu = 0;
  wall = 0;
  cpuMicros(): number {
    return this.cpu;
  }
  wallMs(): number {
    return this.wall;
  }
  rssBytes(): number {
    return 123;
  }
}

test("CPU percent is computed per window of at least one second, one decimal", () => {
  const reader = new FakeReader();
  const usage = new ProcessUsage(reader);
  reader.wall = 2000;
  reader.cpu = 500_000; // 0.5 s of CPU in 2 s
  expect(usage.cpuPercent()).toBe(25);
  reader.wall = 2500;
  reader.cpu = 900_000; // window too short: the previous value stands
  expect(usage.cpuPercent()).toBe(25);
  reader.wall = 5000;
  reader.cpu = 901_234; // 0.401234 s since the last window (at 2 s) over 3 s
  expect(usage.cpuPercent()).toBe(13.3);
  reader.wall = 8000;
  reader.cpu = 901_234 + 3_000_000 * 1.5; // one and a half cores busy
  expect(usage.cpuPercent()).toBe(150);
  expect(usage.rssBytes()).toBe(123);
});
