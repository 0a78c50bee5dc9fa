import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HeartbeatClock } from '../src/channels/heartbeat-clock';

// Every idle stream shares one timer (channels/heartbeat-clock.ts): each must still get a heartbeat
// at least every period, from its first on, and a stream that ends must leave nothing behind.
const PERIOD = 800;

/** A stream that records when it was beaten (fake time). */
function stream() {
  const beats: number[] = [];
  return { beats, beat: () => beats.push(Date.now()) };
}

beforeEach(() => vi.useFakeTimers({ now: 0 }));
afterEach(() => vi.useRealTimers());

describe('HeartbeatClock', () => {
  it('beats every stream once a period, the first no later than a period after it joined', () => {
    const clock = new HeartbeatClock(PERIOD);
    const joined = [0, 130, 420, 799, 1234];
    const streams = joined.map(() => stream());
    for (const [i, at] of joined.entries()) {
      vi.advanceTimersByTime(at - Date.now());
      clock.add(streams[i]!);
    }
    vi.advanceTimersByTime(10 * PERIOD);
    for (const [i, { beats }] of streams.entries()) {
      const first = beats[0]! - joined[i]!;
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThanOrEqual(PERIOD);
      const gaps = beats.slice(1).map((at, k) => at - beats[k]!);
      expect(gaps.length).toBeGreaterThanOrEqual(8);
      expect(new Set(gaps)).toEqual(new Set([PERIOD]));
    }
  });

  it('spreads streams that join at different times over the period', () => {
    const clock = new HeartbeatClock(PERIOD);
    const early = stream();
    const late = stream();
    clock.add(early);
    vi.advanceTimersByTime(PERIOD / 2);
    clock.add(late);
    vi.advanceTimersByTime(2 * PERIOD);
    expect(early.beats[0]).not.toBe(late.beats[0]);
  });

  it('stops beating a removed stream, and keeps no timer once none is left', () => {
    const clock = new HeartbeatClock(PERIOD);
    const gone = stream();
    const staying = stream();
    clock.add(gone);
    clock.add(staying);
    vi.advanceTimersByTime(PERIOD);
    clock.remove(gone);
    vi.advanceTimersByTime(3 * PERIOD);
    expect(gone.beats).toHaveLength(1);
    expect(staying.beats).toHaveLength(4);
    clock.remove(staying);
    clock.remove(staying); // twice is harmless
    expect(clock.size()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('lets a stream leave while its slot is being beaten', () => {
    const clock = new HeartbeatClock(PERIOD);
    const other = stream();
    const leaving = { beats: 0, beat: () => (leaving.beats++, clock.remove(leaving)) };
    clock.add(leaving);
    clock.add(other);
    vi.advanceTimersByTime(2 * PERIOD);
    expect(leaving.beats).toBe(1);
    expect(other.beats).toHaveLength(2);
  });
});
