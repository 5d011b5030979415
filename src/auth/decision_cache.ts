/**
 * A bounded map of permission decisions. Past `entriesMax` it drops its `pruneCount` oldest
 * entries (nats-server drops that many arbitrary ones), so a client publishing to ever new
 * subjects costs a fixed amount of memory.
 * @module
 */

/** Go's maxPermCacheSize: publish decisions kept per connection. */
export const PUBLISH_DECISIONS_MAX = 128;
/** Go's maxDenyPermCacheSize: delivery deny decisions kept per connection. */
export const DELIVERY_DECISIONS_MAX = 256;
/** Go's pruneSize: entries dropped at once when a cache is full. */
export const DECISIONS_PRUNE_COUNT = 32;

export class DecisionCache {
  readonly #map = new Map<string, boolean>();

  constructor(readonly entriesMax: number, readonly pruneCount = DECISIONS_PRUNE_COUNT) {
    if (!(entriesMax >= 1 && pruneCount >= 1 && pruneCount <= entriesMax)) {
      throw new RangeError(`Cannot create a decision cache of ${entriesMax} (prune ${pruneCount})`);
    }
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: string): boolean | undefined {
    return this.#map.get(key);
  }

  set(key: string, value: boolean): void {
    const map = this.#map;
    map.set(key, value);
    if (map.size <= this.entriesMax) return;
    let dropped = 0;
    for (const oldest of map.keys()) {
      map.delete(oldest);
      if (++dropped >= this.pruneCount) break;
    }
  }

  clear(): void {
    this.#map.clear();
  }
}
