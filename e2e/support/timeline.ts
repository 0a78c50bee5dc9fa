import type { Refusal } from './publisher';

/** A publish that was refused, then sent again until stored: one entry per text. */
export interface RefusedPublish {
  text: string;
  attempts: number;
  reasons: string[];
  fromMs: number;
  toMs: number;
}

/**
 * What happened during a fault and when, in ms since the timeline began: the summary a spec
 * writes, so a refused publish can be placed against the step that caused it.
 */
export class Timeline {
  private readonly startedAt = Date.now();
  readonly marks: Array<{ atMs: number; what: string }> = [];

  mark(what: string): void {
    this.marks.push({ atMs: Date.now() - this.startedAt, what });
  }

  /** The publisher's refusals grouped by text, on this timeline. */
  refusedPublishes(refusals: readonly Refusal[]): RefusedPublish[] {
    const byText = new Map<string, RefusedPublish>();
    for (const { text, reason, at } of refusals) {
      const atMs = at - this.startedAt;
      const entry = byText.get(text) ?? {
        text,
        attempts: 0,
        reasons: [],
        fromMs: atMs,
        toMs: atMs,
      };
      entry.attempts += 1;
      if (!entry.reasons.includes(reason)) entry.reasons.push(reason);
      entry.toMs = atMs;
      byText.set(text, entry);
    }
    return [...byText.values()];
  }
}
