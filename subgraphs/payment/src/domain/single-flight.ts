/**
 * Concurrent callers asking for the same key share one running operation instead of each starting
 * their own (within this process; across processes the database row claim does the same job).
 */
export class SingleFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  run(key: string, operation: () => Promise<T>): Promise<T> {
    const existing = this.running.get(key);
    if (existing) return existing;
    const started = operation().finally(() => this.running.delete(key));
    this.running.set(key, started);
    return started;
  }

  /** The operation running for `key`, if any. */
  current(key: string): Promise<T> | undefined {
    return this.running.get(key);
  }
}
