/**
 * The ring of recently closed connections that /connz?state=closed reports, bounded by
 * `max_closed_clients` (oldest entries are dropped first).
 * @module
 */
import type { ClosedReason } from "../protocol/errors.ts";

export interface ClosedClientInfo {
  cid: number;
  ip: string;
  port: number;
  startedAtMs: number;
  closedAtMs: number;
  reason: ClosedReason;
  name: string;
  lang: string;
  version: string;
  inMsgs: number;
  outMsgs: number;
  inBytes: number;
  outBytes: number;
  account: string;
  /** For /connz (optional so older producers still type-check). */
  lastActivityMs?: number;
  rttMs?: number;
  /** Raw auth user (nkey, user name, or "[REDACTED]" for a token). */
  user?: string;
  /** JWT/nkey identity (connz `jwt`, `issuer_key`, `tags`), kept as Go keeps it. */
  identity?: { jwt: string; issuerKey: string; tags: string[]; name?: string } | null;
  /** The subscriptions held when the connection closed. */
  subscriptions?: readonly ClosedSubscription[];
}

/** What /connz?subs=detail shows of a closed connection's subscription. */
export interface ClosedSubscription {
  readonly subject: string;
  readonly queue: string | null;
  readonly sid: string;
  readonly delivered: number;
  readonly maxMsgs: number;
  readonly owner: { readonly cid: number };
}

export class ClosedClientRing {
  #entries: ClosedClientInfo[] = [];
  #next = 0;

  constructor(readonly capacity: number) {}

  add(info: ClosedClientInfo): void {
    if (this.capacity <= 0) return;
    if (this.#entries.length < this.capacity) {
      this.#entries.push(info);
      return;
    }
    this.#entries[this.#next] = info;
    this.#next = (this.#next + 1) % this.capacity;
  }

  /** Oldest first. */
  all(): ClosedClientInfo[] {
    return [...this.#entries.slice(this.#next), ...this.#entries.slice(0, this.#next)];
  }

  get size(): number {
    return this.#entries.length;
  }
}
