/** Something that sends a heartbeat when told to: an idle stream. */
export interface Beating {
  beat(): void;
}

/**
 * Ticks per period. Each tick beats the streams of one slot, so 10 000 streams opened together
 * are beaten in eight batches spread over the period, not all in the same millisecond.
 */
const SLOTS = 8;

/**
 * One timer for every stream's heartbeat, where each stream had a `setInterval` of its own (a
 * Timeout, its closure and a timer-list entry: about 300 bytes a stream, idle or not). A stream
 * joins the slot that has just been beaten, so its first heartbeat comes at most `periodMs` after
 * it joins (and at least 7/8 of that), and every one after exactly `periodMs` apart: no stream
 * goes longer than `periodMs` without one. The timer runs only while some stream is registered.
 */
export class HeartbeatClock {
  private readonly slots: Array<Set<Beating>> = Array.from({ length: SLOTS }, () => new Set());
  /** The slot the next tick beats. */
  private next = 0;
  private members = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly periodMs: number) {}

  add(stream: Beating): void {
    // The slot just beaten is the one beaten last from now: a full period away.
    const slot = this.slots[(this.next + SLOTS - 1) % SLOTS]!;
    if (slot.has(stream)) return;
    slot.add(stream);
    this.members += 1;
    this.timer ??= setInterval(() => this.tick(), this.periodMs / SLOTS);
  }

  remove(stream: Beating): void {
    for (const slot of this.slots) {
      if (!slot.delete(stream)) continue;
      this.members -= 1;
      if (this.members === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
      return;
    }
  }

  /** How many streams it beats: for tests (a closed stream leaves nothing registered). */
  size(): number {
    return this.members;
  }

  private tick(): void {
    const slot = this.slots[this.next]!;
    this.next = (this.next + 1) % SLOTS;
    // A stream that ends while being beaten (a write that finds it too slow) leaves the set
    // during the loop; a Set's iteration allows that.
    for (const stream of slot) stream.beat();
  }
}

const clocks = new Map<number, HeartbeatClock>();

/** The process's clock for a period: every stream with the same HEARTBEAT_MS shares one timer. */
export function heartbeatClock(periodMs: number): HeartbeatClock {
  let clock = clocks.get(periodMs);
  if (!clock) {
    clock = new HeartbeatClock(periodMs);
    clocks.set(periodMs, clock);
  }
  return clock;
}
