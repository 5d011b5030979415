/**
 * A binary min-heap of (key, value) pairs keyed by bigint, for per-message TTL expiry times.
 * @module
 */
export class MinHeap<V> {
  #keys: bigint[] = [];
  #values: V[] = [];

  get size(): number {
    return this.#keys.length;
  }

  peekKey(): bigint | undefined {
    return this.#keys[0];
  }

  peekValue(): V | undefined {
    return this.#values[0];
  }

  push(key: bigint, value: V): void {
    const keys = this.#keys;
    const values = this.#values;
    let i = keys.length;
    keys.push(key);
    values.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent] <= key) break;
      keys[i] = keys[parent];
      values[i] = values[parent];
      i = parent;
    }
    keys[i] = key;
    values[i] = value;
  }

  pop(): V | undefined {
    const keys = this.#keys;
    const values = this.#values;
    if (keys.length === 0) return undefined;
    const top = values[0];
    const lastKey = keys.pop()!;
    const lastValue = values.pop()!;
    if (keys.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= keys.length) break;
      const right = left + 1;
      const child = right < keys.length && keys[right] < keys[left] ? right : left;
      if (keys[child] >= lastKey) break;
      keys[i] = keys[child];
      values[i] = values[child];
      i = child;
    }
    keys[i] = lastKey;
    values[i] = lastValue;
    return top;
  }

  clear(): void {
    this.#keys = [];
    this.#values = [];
  }
}
