/**
 * The id-based subject trie behind the `Sublist` facade, implemented twice: natively (C++,
 * `native/src/subjects/`, through `native_trie.ts`) and in TypeScript (`sublist_ts.ts`).
 *
 * Subscriptions are 32-bit integer ids chosen by the caller. A match is packed into one
 * `Int32Array` so that the native side answers with one call and no JS objects:
 *
 *   [psubCount, groupCount, psub ids..., then per queue group: memberCount, member ids...]
 *
 * Queue groups with the same name reached through different trie nodes (`foo.*` and `foo.bar`
 * both in group `q`) are merged into one group, as nats-server does.
 * @module
 */

/** The outcome of {@linkcode SubjectTrie.insert}. */
export const TrieInsertStatus = {
  ok: 0,
  /** Empty token, `>` not last, or an empty queue name. */
  invalidSubject: 1,
  /** The id is already in the trie. */
  duplicateId: 2,
} as const;
export type TrieInsertStatus = typeof TrieInsertStatus[keyof typeof TrieInsertStatus];

/** Ids are non-negative int32 values so that they fit the packed `Int32Array`. */
export const TRIE_ID_MAX = 0x7fffffff;

/** Int32 slots a match result needs before its ids: psubCount and groupCount. */
export const TRIE_RESULT_HEADER_INTS = 2;

/** Initial capacity of a trie's match output (grown on demand). */
export const TRIE_OUTPUT_INTS_INITIAL = 1024;

export interface SubjectTrie {
  readonly impl: "native" | "ts";
  /** Adds subscription `id` on `subject` (wildcards allowed), in group `queue` unless null. */
  insert(id: number, subject: string, queue: string | null): TrieInsertStatus;
  /** Removes `id`; false when it is not in the trie. */
  remove(id: number): boolean;
  /**
   * Matches a published subject and packs the result into `output`. Returns the number of int32
   * written, or 0 when the subject has an empty token (nothing can match it; not cacheable).
   */
  match(subject: string): number;
  /** The packed result of the last `match`; may be a new array after a match that grew it. */
  readonly output: Int32Array;
  count(): number;
}
