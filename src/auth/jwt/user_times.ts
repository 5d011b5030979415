/**
 * A user JWT's `times` (daily connect windows, "HH:MM:SS" start and end) in its `locale`
 * (an IANA time zone; the server's own zone when empty), as nats-server's validateTimes:
 * a window may cross midnight, and a connection lives until the end of its window.
 * @module
 */
import type { TimeRange } from "./claims.ts";

const SECONDS_PER_DAY = 24 * 60 * 60;
const CLOCK = /^(\d{1,2}):(\d{2}):(\d{2})$/;

function secondsOfDay(text: string | undefined): number | null {
  const m = CLOCK.exec(text ?? "");
  if (m === null) return null;
  const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return h < 24 && min < 60 && s < 60 ? h * 3600 + min * 60 + s : null;
}

/** Seconds since local midnight in `zone` ("" = the process's zone); null for a bad zone. */
function nowOfDay(zone: string, nowMs: number): number | null {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-GB", {
      timeZone: zone === "" ? undefined : zone, hourCycle: "h23",
      hour: "2-digit", minute: "2-digit", second: "2-digit",
    }).formatToParts(new Date(nowMs));
  } catch {
    return null;
  }
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  const seconds = get("hour") * 3600 + get("minute") * 60 + get("second");
  return Number.isNaN(seconds) ? null : seconds + (nowMs % 1000) / 1000;
}

/**
 * Milliseconds left in the longest window `nowMs` falls in: Infinity when `times` is empty,
 * null when outside every window (or a range or zone cannot be read).
 */
export function connectWindow(times: readonly TimeRange[], locale: string, nowMs: number):
  number | null {
  if (times.length === 0) return Infinity;
  const now = nowOfDay(locale, nowMs);
  if (now === null) return null;
  let best: number | null = null;
  for (const range of times) {
    const start = secondsOfDay(range.start);
    const end = secondsOfDay(range.end);
    if (start === null || end === null) return null;
    let left: number | null = null;
    if (start < now && end > now) left = end - now;
    else if (start > end) {
      if (end > now) left = end - now;
      else if (start < now) left = end + SECONDS_PER_DAY - now;
    }
    if (left !== null && (best === null || left * 1000 > best)) best = left * 1000;
  }
  return best === null ? null : Math.floor(best);
}
