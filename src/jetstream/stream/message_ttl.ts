/**
 * The `Nats-TTL` header (ADR-43): `never`, a Go duration of at least one second ("90s", "1h"),
 * or a number of seconds ("60"). Parsed as nats-server's parseMessageTTL does, into the store's
 * unit: whole seconds, -1 for never.
 * @module
 */
import { TTL_NEVER } from "../store/mod.ts";

const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1, us: 1e3, "\u00b5s": 1e3, "\u03bcs": 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9,
};

/** Nanoseconds of a Go duration text (time.ParseDuration), or null when Go would refuse it. */
export function parseGoDuration(text: string): number | null {
  let rest = text;
  let sign = 1;
  if (rest[0] === "-" || rest[0] === "+") {
    sign = rest[0] === "-" ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") return null;
  let total = 0;
  const part = /^(\d*)(?:\.(\d*))?(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/;
  while (rest !== "") {
    const m = part.exec(rest);
    if (m === null || (m[1] === "" && (m[2] ?? "") === "")) return null;
    const value = Number(`${m[1] || "0"}.${m[2] ?? ""}0`);
    total += value * UNIT_NS[m[3]];
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

/** What a Nats-TTL header asks for: seconds (>0), TTL_NEVER, or invalid. */
export type MessageTtl = { ok: true; seconds: number } | { ok: false };

export function parseMessageTtl(text: string): MessageTtl {
  if (text.toLowerCase() === "never") return { ok: true, seconds: TTL_NEVER };
  const ns = parseGoDuration(text);
  if (ns !== null) {
    return ns < 1e9 ? { ok: false } : { ok: true, seconds: Math.trunc(ns / 1e9) };
  }
  // Plain seconds; Go's parseInt64 gives -1 (invalid) for anything but digits.
  if (!/^\d+$/.test(text)) return { ok: false };
  return { ok: true, seconds: Number(text) };
}
