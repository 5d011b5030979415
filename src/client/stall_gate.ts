/**
 * Fast-producer stall, as nats-server does it: when a consumer's outbound queue passes 3/4 of
 * max_pending, the producer feeding it stops reading for a few milliseconds (or until that
 * consumer drains), so a fan-in burst does not turn a healthy consumer into a slow one. The
 * pause is short and bounded: a consumer that stays behind is closed as a slow consumer and
 * never holds producers for longer.
 * @module
 */

/** A stall while the consumer is between 3/4 of max_pending and max_pending. */
export const STALL_MS_MIN = 2;
/** A stall while the consumer is at or past max_pending. */
export const STALL_MS_MAX = 5;

export interface PausableSocket {
  pause?(): void;
  resume?(): void;
}

export class StallGate {
  /** Producers paused until this connection (as a consumer) drains. */
  readonly #waitingProducers = new Set<StallGate>();
  /** The stall asked for during the current read, applied when the read is done. */
  #requestedMs = 0;
  #requestedOn: StallGate | null = null;
  #pausedOn: StallGate | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #onRelease: (() => void) | null = null;
  /** Stalls this connection caused to producers (as a consumer), for /connz `stalls`. */
  stallsCaused = 0;

  constructor(readonly socket: PausableSocket) {}

  get paused(): boolean {
    return this.#pausedOn !== null;
  }

  /** During a read: a consumer we delivered to is over its stall threshold. */
  request(consumer: StallGate, consumerAtMax: boolean): void {
    if (consumer === this) return;
    const ms = consumerAtMax ? STALL_MS_MAX : STALL_MS_MIN;
    if (ms > this.#requestedMs) {
      this.#requestedMs = ms;
      this.#requestedOn = consumer;
    }
  }

  /** True when a consumer asked this producer to stall during the current read. */
  get requested(): boolean {
    return this.#requestedOn !== null;
  }

  /** Pauses reading if a stall was requested; `onRelease` runs when reading may go on. */
  applyRequested(onRelease: () => void): void {
    const consumer = this.#requestedOn;
    const ms = this.#requestedMs;
    this.#requestedOn = null;
    this.#requestedMs = 0;
    if (consumer === null || this.#pausedOn !== null || !this.socket.pause) {
      onRelease();
      return;
    }
    this.socket.pause();
    this.#onRelease = onRelease;
    this.#pausedOn = consumer;
    consumer.#waitingProducers.add(this);
    consumer.stallsCaused++;
    this.#timer = setTimeout(() => this.release(), ms);
  }

  /** Resumes reading (the consumer drained, the stall timed out, or a side closed). */
  release(): void {
    const consumer = this.#pausedOn;
    if (consumer === null) return;
    this.#pausedOn = null;
    consumer.#waitingProducers.delete(this);
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.socket.resume?.();
    const onRelease = this.#onRelease;
    this.#onRelease = null;
    onRelease?.();
  }

  /** As a consumer: caught up (or closed); let every producer waiting on us go. */
  releaseWaitingProducers(): void {
    for (const producer of [...this.#waitingProducers]) producer.release();
  }
}
