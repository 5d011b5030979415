/**
 * Converts the server's monotonic milliseconds (connection start, last activity, close time)
 * into wall-clock instants for the JSON, with one fixed anchor so a connection's `start` reads
 * the same in every response.
 * @module
 */
import type { WallMs } from "./go_format.ts";

export class WallClock {
  /** Wall-clock epoch ms at monotonic 0 of `clock`. */
  readonly #anchorMs: number;

  constructor(readonly clock: { nowMs(): number }) {
    // performance.timeOrigin + performance.now() is the sub-millisecond wall clock; the
    // difference to the server clock maps any monotonic source onto it.
    this.#anchorMs = performance.timeOrigin + performance.now() - clock.nowMs();
  }

  /** The wall-clock instant of a monotonic reading. */
  wall(monoMs: number): WallMs {
    return this.#anchorMs + monoMs;
  }

  nowMono(): number {
    return this.clock.nowMs();
  }
}
