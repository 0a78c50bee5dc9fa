import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeqTracker } from './seq-tracker';

test('a hole below the last delivery is lost; what never came after it is late', () => {
  const tracker = new SeqTracker();
  for (const seq of [0, 1, 3, 4]) tracker.record(seq);
  assert.deepEqual(tracker.outcome(7, new Set()), { lost: 1, late: 2 });
});

test('a repeat is a duplicate, counted once, and not a delivery', () => {
  const tracker = new SeqTracker();
  assert.equal(tracker.record(5), true);
  assert.equal(tracker.record(5), false);
  assert.equal(tracker.distinct, 1);
  assert.equal(tracker.duplicates, 1);
});

test('a publish that failed is neither lost nor late', () => {
  const tracker = new SeqTracker();
  for (const seq of [0, 2]) tracker.record(seq);
  assert.deepEqual(tracker.outcome(4, new Set([1, 3])), { lost: 0, late: 0 });
});

test('nothing received: every event is late', () => {
  assert.deepEqual(new SeqTracker().outcome(3, new Set()), { lost: 0, late: 3 });
});

test('sequence numbers far apart grow the bitset', () => {
  const tracker = new SeqTracker();
  tracker.record(0);
  tracker.record(100_000);
  assert.equal(tracker.has(100_000), true);
  assert.equal(tracker.has(99_999), false);
  assert.deepEqual(tracker.outcome(100_001, new Set()), { lost: 99_999, late: 0 });
});

test('an event stored after the last one delivered is late, though its seq is lower', () => {
  const tracker = new SeqTracker();
  for (const seq of [0, 2]) tracker.record(seq);
  // 1's publish was answered after 2's went out (stored after it, or not yet): late, not lost.
  assert.deepEqual(tracker.outcome(3, new Set(), [1, 3, 3]), { lost: 0, late: 1 });
  // 1 was stored before 2 was sent: a hole.
  assert.deepEqual(tracker.outcome(3, new Set(), [1, 2, 3]), { lost: 1, late: 0 });
});
