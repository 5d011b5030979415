/**
 * A publisher's one-entry match cache: the last subject it published (as bytes), the account
 * index it was matched in, that index's generation, and the result. Publishers mostly repeat
 * subjects, so a hit skips decoding the subject and the shared cache lookup: no allocation and
 * no hashing per message. A changed generation (any SUB/UNSUB in the account) invalidates it.
 * @module
 */
import type { Sublist, SublistResult } from "../subjects/sublist.ts";
import type { Subscription } from "./subscription.ts";

/** Subjects longer than this are never cached here (they fall back to the shared cache). */
export const MATCH_CACHE_SUBJECT_BYTES_MAX = 256;

export class SubjectMatchCache {
  #subject = new Uint8Array(MATCH_CACHE_SUBJECT_BYTES_MAX);
  #length = -1;
  #genId = -1;
  #sublist: Sublist<Subscription> | null = null;
  #result: SublistResult<Subscription> | null = null;

  lookup(
    sublist: Sublist<Subscription>, buf: Uint8Array, start: number, end: number,
  ): SublistResult<Subscription> | null {
    const length = end - start;
    if (sublist !== this.#sublist || sublist.genId !== this.#genId) {
      // Stale: let go of the result now, it may hold subscriptions that are gone.
      this.clear();
      return null;
    }
    if (length !== this.#length) return null;
    const cached = this.#subject;
    for (let i = 0; i < length; i++) if (cached[i] !== buf[start + i]) return null;
    return this.#result;
  }

  /** Forgets the cached result (a closed connection must not keep subscriptions alive). */
  clear(): void {
    this.#length = -1;
    this.#sublist = null;
    this.#result = null;
  }

  store(
    sublist: Sublist<Subscription>, buf: Uint8Array, start: number, end: number,
    result: SublistResult<Subscription>,
  ): void {
    const length = end - start;
    if (length > MATCH_CACHE_SUBJECT_BYTES_MAX) return;
    const cached = this.#subject;
    for (let i = 0; i < length; i++) cached[i] = buf[start + i];
    this.#length = length;
    this.#sublist = sublist;
    this.#genId = sublist.genId;
    this.#result = result;
  }
}
