/**
 * A token bucket on an explicit clock, behaving as golang.org/x/time/rate's Limiter.ReserveN
 * does for push consumers' rate_limit_bps: the bucket starts full, each send takes its size now
 * (going negative if need be) and the caller waits until the debt is paid back.
 * @module
 */

const NS_PER_SECOND = 1e9;

export class RateLimiter {
  #tokens: number;
  #lastNs: bigint | null = null;

  /**
   * @param bytesPerSecond refill rate (rate_limit_bps / 8)
   * @param burstBytes bucket size
   */
  constructor(readonly bytesPerSecond: number, readonly burstBytes: number) {
    if (!(bytesPerSecond > 0) || !(burstBytes > 0)) {
      throw new RangeError(`Invalid rate limit "${bytesPerSecond}" / burst "${burstBytes}"`);
    }
    this.#tokens = burstBytes;
  }

  /** Takes `bytes` at nowNs and returns how long (ns) to wait before sending. */
  reserve(nowNs: bigint, bytes: number): bigint {
    if (this.#lastNs !== null && nowNs > this.#lastNs) {
      const elapsed = Number(nowNs - this.#lastNs) / NS_PER_SECOND;
      this.#tokens = Math.min(this.burstBytes, this.#tokens + elapsed * this.bytesPerSecond);
    }
    if (this.#lastNs === null || nowNs > this.#lastNs) this.#lastNs = nowNs;
    // Go refuses (and waits forever on) a send larger than the burst; take the whole bucket.
    this.#tokens -= Math.min(bytes, this.burstBytes);
    if (this.#tokens >= 0) return 0n;
    return BigInt(Math.ceil((-this.#tokens / this.bytesPerSecond) * NS_PER_SECOND));
  }
}
