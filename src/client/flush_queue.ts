/**
 * The set of connections with queued outbound bytes, flushed together once the current
 * event-loop callback (typically one socket read) is done. Every producer appends to its
 * receivers' queues and marks them here; each receiver is written to once per batch however
 * many messages it got (nats-server's "pcd" set).
 * @module
 */

export interface Flushable {
  /** True while the connection sits in the queue. */
  flushQueued: boolean;
  flushOutbound(): void;
}

/** Upper bound on connections in one batch before a flush is forced inline. */
export const FLUSH_BATCH_CONNECTIONS_MAX = 16 * 1024;

export class FlushQueue {
  #pending: Flushable[] = [];
  #scheduled = false;
  readonly #run = () => this.flushAll();

  /** Marks a connection as having outbound bytes; schedules one flush for the batch. */
  add(conn: Flushable): void {
    if (conn.flushQueued) return;
    conn.flushQueued = true;
    this.#pending.push(conn);
    if (this.#pending.length >= FLUSH_BATCH_CONNECTIONS_MAX) {
      this.flushAll();
      return;
    }
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#run);
    }
  }

  flushAll(): void {
    this.#scheduled = false;
    const pending = this.#pending;
    // Flushing can queue more work (e.g. a close notifying others); take the list first.
    this.#pending = [];
    for (let i = 0; i < pending.length; i++) {
      const conn = pending[i];
      conn.flushQueued = false;
      conn.flushOutbound();
    }
  }
}
