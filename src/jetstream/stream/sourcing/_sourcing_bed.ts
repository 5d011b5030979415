/**
 * Helpers for the in-process sourcing tests: a TestBed whose fake clock is moved in small steps
 * while the event loop runs the API handlers, until a condition holds (bounded).
 * @module
 */
import { TestBed } from "../../_test_bed.ts";
import type { StoredMsg } from "../../store/mod.ts";

/** One fake-clock step: longer than the follower's first scheduling delay (≤ 200 ms). */
export const STEP_NS = 250_000_000n;
const ROUNDS_MAX = 2_000;

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Moves the clock and runs the loop until `cond` holds; throws after ROUNDS_MAX rounds. */
export async function until(bed: TestBed, cond: () => boolean, stepNs = STEP_NS): Promise<void> {
  for (let i = 0; i < ROUNDS_MAX; i++) {
    if (cond()) return;
    await tick();
    await tick();
    if (cond()) return;
    bed.clock.advance(stepNs);
  }
  throw new Error("condition not reached");
}

/** Runs the loop without moving the clock (API handlers and deliveries settle). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await tick();
}

export async function createStream(bed: TestBed, cfg: Record<string, unknown>):
  Promise<Record<string, unknown>> {
  return await bed.api(`$JS.API.STREAM.CREATE.${cfg.name}`, cfg);
}

export function lastSeq(bed: TestBed, stream: string): number {
  return bed.jsa.streams.get(stream)?.store.fastState().lastSeq ?? -1;
}

export function msgCount(bed: TestBed, stream: string): number {
  return bed.jsa.streams.get(stream)?.store.fastState().msgs ?? -1;
}

/** Every stored message of a stream, in order. */
export function allMsgs(bed: TestBed, stream: string): StoredMsg[] {
  const store = bed.jsa.streams.get(stream)?.store;
  if (store === undefined) return [];
  const out: StoredMsg[] = [];
  for (let seq = 1; ;) {
    const m = store.loadNextMsg(">", seq);
    if (m === null) return out;
    out.push(m);
    seq = m.seq + 1;
  }
}

const decoder = new TextDecoder();
export const text = (b: Uint8Array) => decoder.decode(b);

/** The value of one header of a stored message. */
export function header(m: StoredMsg, key: string): string | null {
  const lines = decoder.decode(m.hdr).split("\r\n");
  for (const line of lines) if (line.startsWith(`${key}: `)) return line.slice(key.length + 2);
  return null;
}

export { TestBed };
