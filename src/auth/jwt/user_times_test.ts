import { expect, test } from "bun:test";
import { connectWindow } from "./user_times.ts";

const at = (hhmmss: string) => Date.parse(`2026-06-01T${hhmmss}Z`);

test("no ranges: always allowed, never expiring", () => {
  expect(connectWindow([], "", at("12:00:00"))).toBe(Infinity);
});

test("inside a range the connection lives until its end; outside it is refused", () => {
  const day = [{ start: "09:00:00", end: "17:00:00" }];
  expect(connectWindow(day, "UTC", at("16:00:00"))).toBe(3600_000);
  expect(connectWindow(day, "UTC", at("18:00:00"))).toBeNull();
});

test("ranges crossing midnight, the longest window wins, and the locale's zone applies", () => {
  const night = [{ start: "22:00:00", end: "06:00:00" }];
  expect(connectWindow(night, "UTC", at("23:00:00"))).toBe(7 * 3600_000);
  expect(connectWindow(night, "UTC", at("05:00:00"))).toBe(3600_000);
  expect(connectWindow(night, "UTC", at("12:00:00"))).toBeNull();
  const two = [{ start: "10:00:00", end: "11:00:00" }, { start: "09:00:00", end: "13:00:00" }];
  expect(connectWindow(two, "UTC", at("10:30:00"))).toBe(2.5 * 3600_000);
  // 16:00 UTC is 18:00 in Berlin (summer time): outside 09-17 there.
  expect(connectWindow([{ start: "09:00:00", end: "17:00:00" }], "Europe/Berlin",
    at("16:00:00"))).toBeNull();
  expect(connectWindow([{ start: "bad", end: "17:00:00" }], "UTC", at("16:00:00"))).toBeNull();
  expect(connectWindow([{ start: "09:00:00", end: "17:00:00" }], "Not/AZone", at("10:00:00")))
    .toBeNull();
});
