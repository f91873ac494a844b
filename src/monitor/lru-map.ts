// A Map with a size cap that evicts the least recently used entry: the state of every alert rule
// lives in these, so a flood of distinct principals, keys or context values cannot grow memory.

export class LruMap<K, V> {
  readonly #map = new Map<K, V>();
  readonly #cap: number;
  #evictions = 0;

  constructor(cap: number) {
    if (!(cap >= 1)) throw new RangeError(`LRU capacity must be at least 1: ${cap}`);
    this.#cap = cap;
  }

  get size(): number {
    return this.#map.size;
  }

  get capacity(): number {
    return this.#cap;
  }

  /** How many entries were evicted since the map was made. */
  get evictions(): number {
    return this.#evictions;
  }

  /** Reads and marks as most recently used. */
  get(key: K): V | undefined {
    const v = this.#map.get(key);
    if (v === undefined) return undefined;
    this.#map.delete(key);
    this.#map.set(key, v);
    return v;
  }

  /** Reads without touching recency. */
  peek(key: K): V | undefined {
    return this.#map.get(key);
  }

  has(key: K): boolean {
    return this.#map.has(key);
  }

  set(key: K, value: V): void {
    if (this.#map.has(key)) this.#map.delete(key);
    this.#map.set(key, value);
    while (this.#map.size > this.#cap) {
      // Map iteration order is insertion order: the first key is the least recently used.
      const oldest = this.#map.keys().next().value as K;
      this.#map.delete(oldest);
      this.#evictions++;
    }
  }

  delete(key: K): boolean {
    return this.#map.delete(key);
  }

  clear(): void {
    this.#map.clear();
  }

  /** Least recently used first: the order `set` replays to rebuild the same recency. */
  entries(): IterableIterator<[K, V]> {
    return this.#map.entries();
  }
}
