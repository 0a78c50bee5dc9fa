/**
 * What one subscriber received, by the publisher's sequence numbers (0, 1, 2, …): a bitset rather
 * than a Set, so 10 000 subscribers × thousands of events stay a few MiB.
 */
export class SeqTracker {
  private bits = new Uint8Array(64);
  distinct = 0;
  duplicates = 0;
  /** The highest sequence number received; -1 before the first. */
  max = -1;

  /** Records `seq`; false if it was already there (a duplicate). */
  record(seq: number): boolean {
    if (!(seq >= 0)) return false;
    const byte = seq >> 3;
    if (byte >= this.bits.length) {
      const grown = new Uint8Array(Math.max(byte + 1, this.bits.length * 2));
      grown.set(this.bits);
      this.bits = grown;
    }
    const mask = 1 << (seq & 7);
    if (this.bits[byte]! & mask) {
      this.duplicates += 1;
      return false;
    }
    this.bits[byte]! |= mask;
    this.distinct += 1;
    if (seq > this.max) this.max = seq;
    return true;
  }

  has(seq: number): boolean {
    const byte = seq >> 3;
    return byte < this.bits.length && (this.bits[byte]! & (1 << (seq & 7))) !== 0;
  }

  /**
   * Of the `sent` events (0 … sent − 1, less `skipped`, the publishes that failed): `lost` were
   * never delivered though a later one was (a hole), `late` were not there at the cutoff and
   * nothing after them was (still in flight, or the stream stalled).
   */
  outcome(sent: number, skipped: ReadonlySet<number>): { lost: number; late: number } {
    // Every seq received is at most `max`: the holes below it are lost, the rest after it late.
    let lost = this.max + 1 - this.distinct;
    let late = sent - (this.max + 1);
    for (const seq of skipped) {
      if (seq >= sent || this.has(seq)) continue;
      if (seq < this.max) lost -= 1;
      else late -= 1;
    }
    return { lost, late: Math.max(0, late) };
  }
}
