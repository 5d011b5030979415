/**
 * Time for the stores: the current time in unix nanoseconds and one-shot timers. Stores never
 * read the system clock directly, so tests drive `max_age` and per-message TTL with FakeClock
 * instead of sleeping.
 * @module
 */

/** An opaque timer handle. */
export type TimerId = number;

/** A source of time and timers. */
export interface Clock {
  /** Unix time in nanoseconds. */
  nowNs(): bigint;
  /** Calls fn once, at or after unix time atNs; the timer does not keep the process alive. */
  setTimer(atNs: bigint, fn: () => void): TimerId;
  clearTimer(id: TimerId): void;
}

const NS_PER_MS = 1_000_000n;
// setTimeout's delay is a signed 32-bit number of milliseconds; longer waits re-arm.
const TIMER_DELAY_MS_MAX = 2 ** 31 - 1;

/** The system clock: Date.now() for the epoch, hrtime for nanosecond resolution. */
export class SystemClock implements Clock {
  readonly #anchorNs = BigInt(Date.now()) * NS_PER_MS - process.hrtime.bigint();
  readonly #timers = new Map<TimerId, ReturnType<typeof setTimeout>>();
  #nextId = 1;

  nowNs(): bigint {
    return this.#anchorNs + process.hrtime.bigint();
  }

  setTimer(atNs: bigint, fn: () => void): TimerId {
    const id = this.#nextId++;
    this.#arm(id, atNs, fn);
    return id;
  }

  clearTimer(id: TimerId): void {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
  }

  #arm(id: TimerId, atNs: bigint, fn: () => void): void {
    const waitNs = atNs - this.nowNs();
    const delayMs = waitNs <= 0n ? 0 : Number((waitNs + NS_PER_MS - 1n) / NS_PER_MS);
    const handle = setTimeout(() => {
      if (!this.#timers.has(id)) return;
      if (this.nowNs() < atNs) return this.#arm(id, atNs, fn);
      this.#timers.delete(id);
      fn();
    }, Math.min(delayMs, TIMER_DELAY_MS_MAX));
    (handle as { unref?: () => void }).unref?.();
    this.#timers.set(id, handle);
  }
}

/** The process-wide system clock. */
export const systemClock: Clock = new SystemClock();

/**
 * A clock that moves only when told to. Due timers run, in time order, inside advance()/set().
 * @example
 * const clock = new FakeClock(0n);
 * clock.setTimer(5n, () => console.log("fired"));
 * clock.advance(5n); // prints "fired"
 */
export class FakeClock implements Clock {
  #now: bigint;
  #timers = new Map<TimerId, { atNs: bigint; fn: () => void }>();
  #nextId = 1;

  constructor(startNs = 1_700_000_000_000_000_000n) {
    this.#now = startNs;
  }

  nowNs(): bigint {
    return this.#now;
  }

  setTimer(atNs: bigint, fn: () => void): TimerId {
    const id = this.#nextId++;
    this.#timers.set(id, { atNs, fn });
    return id;
  }

  clearTimer(id: TimerId): void {
    this.#timers.delete(id);
  }

  /** The number of timers not yet fired. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  advance(ns: bigint): void {
    this.set(this.#now + ns);
  }

  /** Moves time to atNs (never backwards) and runs every timer due by then. */
  set(atNs: bigint): void {
    if (atNs < this.#now) throw new RangeError(`FakeClock cannot go back to "${atNs}"`);
    for (;;) {
      let due: [TimerId, { atNs: bigint; fn: () => void }] | undefined;
      for (const entry of this.#timers) {
        if (entry[1].atNs <= atNs && (due === undefined || entry[1].atNs < due[1].atNs)) {
          due = entry;
        }
      }
      if (due === undefined) break;
      this.#timers.delete(due[0]);
      if (due[1].atNs > this.#now) this.#now = due[1].atNs;
      due[1].fn();
    }
    this.#now = atNs;
  }
}
