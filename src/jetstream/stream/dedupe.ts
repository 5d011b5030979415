/**
 * The duplicate window of a stream: `Nats-Msg-Id` values seen in the last `duplicate_window`
 * nanoseconds with the sequence they were stored at. Entries leave the window by time: the queue
 * is in arrival order (times only grow), so pruning pops from the front and never scans; the
 * memory held is bounded by the message rate times the window, never by history.
 * @module
 */

interface Entry {
  id: string;
  seq: number;
  ts: bigint;
}

export class DuplicateWindow {
  #windowNs: bigint;
  readonly #byId = new Map<string, Entry>();
  /** Arrival order; entries replaced or purged stay until popped (checked against #byId). */
  #queue: Entry[] = [];
  #head = 0;

  constructor(windowNs: bigint) {
    this.#windowNs = windowNs;
  }

  get windowNs(): bigint {
    return this.#windowNs;
  }

  /** Number of ids inside the window (after the last prune). */
  get size(): number {
    return this.#byId.size;
  }

  setWindow(windowNs: bigint, nowNs: bigint): void {
    this.#windowNs = windowNs;
    this.prune(nowNs);
  }

  /** The sequence `id` was stored at when that is still inside the window, else null. */
  check(id: string, nowNs: bigint): number | null {
    this.prune(nowNs);
    return this.#byId.get(id)?.seq ?? null;
  }

  /** Records `id` as stored at `seq` at time `ts`. */
  add(id: string, seq: number, ts: bigint): void {
    if (this.#windowNs <= 0n) return;
    const entry = { id, seq, ts };
    this.#byId.set(id, entry);
    this.#queue.push(entry);
  }

  /** Drops ids older than the window. */
  prune(nowNs: bigint): void {
    const oldest = nowNs - this.#windowNs;
    const queue = this.#queue;
    while (this.#head < queue.length && queue[this.#head].ts <= oldest) {
      const entry = queue[this.#head++];
      if (this.#byId.get(entry.id) === entry) this.#byId.delete(entry.id);
    }
    // Compact once the popped prefix dominates, so the array does not grow without end.
    if (this.#head > 1024 && this.#head * 2 > queue.length) {
      this.#queue = queue.slice(this.#head);
      this.#head = 0;
    }
  }

  clear(): void {
    this.#byId.clear();
    this.#queue = [];
    this.#head = 0;
  }
}
