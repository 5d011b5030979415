/**
 * A connection's outbound queue: protocol lines and messages are appended as bytes into one
 * growable buffer and written to the socket once per flush (once per read batch of the
 * publishers that touched it), never once per message. Bytes the kernel did not take stay
 * queued until the socket drains; past `maxPendingBytes` the owner closes the connection as a
 * slow consumer.
 * @module
 */

/** The buffer a connection starts with on its first outbound byte. */
export const OUTBOUND_INITIAL_BYTES = 4 * 1024;
/**
 * After a complete flush, a buffer larger than this is released so that a burst does not pin
 * memory on an idle connection.
 */
export const OUTBOUND_RETAINED_BYTES_MAX = 256 * 1024;
/**
 * A retained buffer is released after this many consecutive complete flushes that used less
 * than an eighth of it: steady traffic keeps its buffer (no allocation churn), a connection that
 * went quiet gives it back.
 */
export const OUTBOUND_SHRINK_AFTER_FLUSHES = 64;

const EMPTY = new Uint8Array(0);

/** The part of a socket the queue needs; Bun's socket matches it. */
export interface OutboundSocket {
  /** Writes what the kernel takes now; returns the count of bytes taken (possibly 0). */
  write(data: Uint8Array): number;
}

export class Outbound {
  /** Queued bytes are buf[head, tail). */
  buf: Uint8Array = EMPTY;
  head = 0;
  tail = 0;
  /** True while the socket refused bytes and a drain is awaited. */
  blocked = false;
  /** When the socket first refused bytes (ms, monotonic clock), 0 when not blocked. */
  blockedSinceMs = 0;
  #underusedFlushes = 0;

  get pendingBytes(): number {
    return this.tail - this.head;
  }

  /** Makes room for `bytes` more bytes at `tail` and returns the buffer to write into. */
  reserve(bytes: number): Uint8Array {
    const need = this.tail + bytes;
    if (need <= this.buf.length) return this.buf;
    const queued = this.tail - this.head;
    if (this.head > 0 && queued + bytes <= this.buf.length) {
      this.buf.copyWithin(0, this.head, this.tail);
    } else {
      let size = this.buf.length === 0 ? OUTBOUND_INITIAL_BYTES : this.buf.length * 2;
      while (size < queued + bytes) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.buf.subarray(this.head, this.tail));
      this.buf = grown;
    }
    this.head = 0;
    this.tail = queued;
    return this.buf;
  }

  append(bytes: Uint8Array): void {
    const buf = this.reserve(bytes.length);
    buf.set(bytes, this.tail);
    this.tail += bytes.length;
  }

  appendAscii(text: string): void {
    const buf = this.reserve(text.length);
    let tail = this.tail;
    for (let i = 0; i < text.length; i++) buf[tail++] = text.charCodeAt(i);
    this.tail = tail;
  }

  /**
   * Writes the queue to the socket. Returns the bytes written. Leaves `blocked` set when the
   * kernel did not take everything; the owner calls again on drain.
   */
  flush(socket: OutboundSocket, nowMs: number): number {
    const queued = this.tail - this.head;
    if (queued === 0) return 0;
    const written = socket.write(this.buf.subarray(this.head, this.tail));
    if (written >= queued) {
      this.head = 0;
      this.tail = 0;
      this.blocked = false;
      this.blockedSinceMs = 0;
      this.#shrinkIfUnderused(queued);
      return queued;
    }
    this.head += written > 0 ? written : 0;
    if (!this.blocked) {
      this.blocked = true;
      this.blockedSinceMs = nowMs;
    }
    return written > 0 ? written : 0;
  }

  #shrinkIfUnderused(flushedBytes: number): void {
    if (this.buf.length > OUTBOUND_RETAINED_BYTES_MAX) {
      this.buf = EMPTY;
    } else if (flushedBytes * 8 < this.buf.length) {
      if (++this.#underusedFlushes >= OUTBOUND_SHRINK_AFTER_FLUSHES) {
        this.buf = EMPTY;
        this.#underusedFlushes = 0;
      }
    } else {
      this.#underusedFlushes = 0;
    }
  }

  /** Drops everything queued (the connection is closing). */
  clear(): void {
    this.buf = EMPTY;
    this.head = 0;
    this.tail = 0;
    this.blocked = false;
    this.blockedSinceMs = 0;
  }
}
