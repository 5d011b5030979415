/**
 * Subject delete markers (ADR-43, `subject_delete_marker_ttl`): when the last message of a
 * subject expires by max_age or by its own TTL, a marker message takes its place on that subject
 * (`Nats-Marker-Reason: MaxAge`, `Nats-TTL: <marker TTL>`, `Nats-Rollup: sub`), so KV watchers
 * and readers learn that the key went away; the marker itself expires later without a successor.
 *
 * The stores expire messages internally without telling the stream, so for streams with markers
 * the stream runs expiry itself: messages go to the store without TTL and without max_age, and
 * this module keeps their deadlines (a heap of TTL deadlines, a cursor over the time-ordered
 * sequence for max_age) on the injected clock. After a restart the deadlines are rebuilt from the
 * stored messages' `Nats-TTL` headers.
 * @module
 */
import {
  type Clock, type StoredMsg, type StreamStore, type TimerId, TTL_NEVER,
} from "../store/mod.ts";
import type { StreamConfig } from "./config.ts";
import { goDuration } from "./config_check.ts";
import { HDR, HeaderView } from "./headers.ts";
import { parseMessageTtl } from "./message_ttl.ts";

const NS_PER_SECOND = 1_000_000_000n;

export interface MarkerHost {
  readonly store: StreamStore;
  readonly clock: Clock;
  readonly config: StreamConfig;
  /** Stores `hdr` as a marker on `subject` through the publish path (a subject rollup). */
  placeMarker(subject: string, hdr: Uint8Array): void;
}

interface Deadline {
  at: bigint;
  seq: number;
}

/** The header block of a marker for a stream whose marker TTL is `ttlNs`. */
export function markerHeaders(ttlNs: bigint): Uint8Array {
  const ttl = goDuration((ttlNs / NS_PER_SECOND) * NS_PER_SECOND);
  return new TextEncoder().encode(`NATS/1.0\r\n${HDR.markerReason}: MaxAge\r\n` +
    `${HDR.ttl}: ${ttl}\r\n${HDR.rollup}: sub\r\n\r\n`);
}

/** nats-server's isSubjectDeleteMarker: a marker, or a KV purge. */
export function isDeleteMarker(hdr: Uint8Array): boolean {
  if (hdr.length === 0) return false;
  const h = new HeaderView(hdr);
  return h.has(HDR.markerReason) || h.get("KV-Operation") === "PURGE";
}

/** The TTL a stored message asked for (seconds, TTL_NEVER, or 0). */
function ttlOf(m: StoredMsg): number {
  if (m.hdr.length === 0) return 0;
  const text = new HeaderView(m.hdr).get(HDR.ttl);
  if (text === null) return 0;
  const parsed = parseMessageTtl(text);
  return parsed.ok ? parsed.seconds : 0;
}

export class MarkerExpiry {
  readonly #host: MarkerHost;
  #heap: Deadline[] = [];
  readonly #never = new Set<number>();
  /** max_age scanning restarts here: sequences below were never-expiring or gone. */
  #ageCursor = 1;
  #timer: TimerId | null = null;
  #timerAt = 0n;
  #stopped = false;

  constructor(host: MarkerHost) {
    this.#host = host;
  }

  /** Records a stored message's deadline; `ttl` in seconds as the store takes it. */
  track(seq: number, ts: bigint, ttl: number): void {
    if (ttl === TTL_NEVER) this.#never.add(seq);
    else if (ttl > 0) this.#push({ at: ts + BigInt(ttl) * NS_PER_SECOND, seq });
    this.#arm();
  }

  /** Rebuilds the deadlines from the stored messages (after a restart). */
  rebuild(): void {
    const store = this.#host.store;
    for (let m = store.loadNextMsg(">", 1); m !== null; m = store.loadNextMsg(">", m.seq + 1)) {
      const ttl = ttlOf(m);
      if (ttl !== 0) this.track(m.seq, m.ts, ttl);
    }
    this.#arm();
  }

  /** Re-plans after a configuration change (max_age may differ). */
  reschedule(): void {
    this.#arm();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) this.#host.clock.clearTimer(this.#timer);
    this.#timer = null;
  }

  /** The first message max_age applies to, skipping never-expiring ones. */
  #firstAging(): StoredMsg | null {
    const store = this.#host.store;
    this.#ageCursor = Math.max(this.#ageCursor, store.fastState().firstSeq);
    for (;;) {
      const m = store.loadNextMsg(">", this.#ageCursor);
      if (m === null) return null;
      if (!this.#never.has(m.seq)) return m;
      this.#ageCursor = m.seq + 1;
    }
  }

  #arm(): void {
    if (this.#stopped) return;
    let next = this.#heap.length > 0 ? this.#heap[0].at : -1n;
    const maxAge = this.#host.config.max_age;
    if (maxAge > 0n) {
      const first = this.#firstAging();
      if (first !== null && (next < 0n || first.ts + maxAge < next)) next = first.ts + maxAge;
    }
    if (next < 0n) return;
    if (this.#timer !== null) {
      if (this.#timerAt <= next) return;
      this.#host.clock.clearTimer(this.#timer);
    }
    this.#timerAt = next;
    this.#timer = this.#host.clock.setTimer(next, () => this.#run());
  }

  #run(): void {
    this.#timer = null;
    if (this.#stopped) return;
    const now = this.#host.clock.nowNs();
    const maxAge = this.#host.config.max_age;
    if (maxAge > 0n) {
      for (let m = this.#firstAging(); m !== null && m.ts + maxAge <= now; m = this.#firstAging()) {
        this.#expire(m);
      }
    }
    while (this.#heap.length > 0 && this.#heap[0].at <= now) {
      const { seq } = this.#pop();
      let m: StoredMsg;
      try {
        m = this.#host.store.loadMsg(seq);
      } catch {
        continue; // already gone
      }
      this.#expire(m);
    }
    this.#arm();
  }

  /** Removes an expired message, or replaces the last one of its subject with a marker. */
  #expire(m: StoredMsg): void {
    const store = this.#host.store;
    this.#never.delete(m.seq);
    const last = store.subjectsTotals(m.subject).get(m.subject) === 1;
    const markerTtl = this.#host.config.subject_delete_marker_ttl ?? 0n;
    if (last && markerTtl > 0n && !isDeleteMarker(m.hdr)) {
      this.#host.placeMarker(m.subject, markerHeaders(markerTtl));
    }
    // The marker's rollup normally took it already; a refused marker must not keep it.
    store.removeMsg(m.seq);
  }

  #push(d: Deadline): void {
    const heap = this.#heap;
    heap.push(d);
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (heap[parent].at <= heap[i].at) break;
      [heap[parent], heap[i]] = [heap[i], heap[parent]];
      i = parent;
    }
  }

  #pop(): Deadline {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let min = i;
        if (l < heap.length && heap[l].at < heap[min].at) min = l;
        if (r < heap.length && heap[r].at < heap[min].at) min = r;
        if (min === i) break;
        [heap[min], heap[i]] = [heap[i], heap[min]];
        i = min;
      }
    }
    return top;
  }
}
