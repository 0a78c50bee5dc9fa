/**
 * Ids already delivered, so at-least-once delivery becomes exactly-once for the listener. Bounded:
 * the oldest ids are forgotten first (a duplicate arrives soon after its original, never late).
 */
export class SeenIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  /** True the first time an id is seen. */
  remember(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value as string;
      this.ids.delete(oldest);
    }
    return true;
  }
}
