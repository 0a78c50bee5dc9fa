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
   * never delivered though one stored after them was (a hole), `late` were not there at the
   * cutoff and nothing stored after them was (still in flight, or the stream stalled). Without
   * `storedBefore` (see the publisher) the log's order is taken to be seq order.
   */
  outcome(
    sent: number,
    skipped: ReadonlySet<number>,
    storedBefore?: readonly number[],
  ): { lost: number; late: number } {
    const missing =
      sent - this.distinct - [...skipped].filter((s) => s < sent && !this.has(s)).length;
    if (missing <= 0) return { lost: 0, late: 0 };
    let lost = 0;
    if (!storedBefore) {
      // Every seq received is at most `max`: the holes below it are lost.
      lost = this.max + 1 - this.distinct;
      for (const seq of skipped) if (seq < this.max && !this.has(seq)) lost -= 1;
    } else if (this.distinct < this.max + 1) {
      for (let seq = 0; seq < this.max; seq++)
        if (!this.has(seq) && !skipped.has(seq) && storedBefore[seq]! <= this.max) lost += 1;
    }
    return { lost, late: missing - lost };
  }
}
