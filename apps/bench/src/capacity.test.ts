import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capacityPlan, DEFAULT_CAPACITY, p99Limit } from './capacity';
import { SeqTracker } from './subscribers/seq-tracker';

test('the kept capacity plan is the default; any flag makes it a trial', () => {
  assert.deepEqual(capacityPlan([]), DEFAULT_CAPACITY);
  const trial = capacityPlan(['--only=sse', '--rates=1,4', '--subscribers=500', '--no-peers']);
  assert.deepEqual(trial.mechanisms, ['sse']);
  assert.deepEqual(trial.rates, [1, 4]);
  assert.equal(trial.pushSubscribers, 500);
  assert.equal(trial.peers, false);
  assert.equal(trial.custom, true);
});

test("a poller's limit is its interval plus the push wires' limit", () => {
  assert.equal(p99Limit(DEFAULT_CAPACITY, 'polling'), 1250);
  assert.equal(p99Limit(DEFAULT_CAPACITY, 'sse'), 250);
});

test("an earlier step's straggler (below the window's base) is neither a delivery nor a duplicate", () => {
  const tracker = new SeqTracker();
  assert.equal(tracker.record(-3), false);
  assert.equal(tracker.distinct, 0);
  assert.equal(tracker.duplicates, 0);
});
