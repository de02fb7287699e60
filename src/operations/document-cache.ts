/**
 * The last N documents, by the SHA-256 of their text, most recently used last. Bounded because the texts
 * come from strangers: a flood of distinct documents evicts the oldest rather than growing the heap.
 */
export class DocumentCache<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly capacity: number) {}

  get(hash: string): T | undefined {
    const entry = this.entries.get(hash);
    if (entry !== undefined) {
      // Re-inserted so that what is in use stays while what is not ages out.
      this.entries.delete(hash);
      this.entries.set(hash, entry);
    }
    return entry;
  }

  /** Without touching its age (Apollo's document store asks right after the pipeline did). */
  peek(hash: string): T | undefined {
    return this.entries.get(hash);
  }

  set(hash: string, entry: T): void {
    this.entries.delete(hash);
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(hash, entry);
  }
}
