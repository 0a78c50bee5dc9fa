/** A minimal typed event emitter: `on` returns its own `off`, so teardown is one call. */
export class Emitter<Events extends { [K in keyof Events]: (payload: never) => void }> {
  private readonly listeners = new Map<keyof Events, Set<Events[keyof Events]>>();

  on<K extends keyof Events>(name: K, listener: Events[K]): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<K extends keyof Events>(name: K, payload: Parameters<Events[K]>[0]): void {
    for (const listener of this.listeners.get(name) ?? []) {
      (listener as (payload: Parameters<Events[K]>[0]) => void)(payload);
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
