import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CapacityRow, CapacityStep } from './capacity';
import { capacityPlan, capacityRows, DEFAULT_CAPACITY, p99Limit } from './capacity-plan';
import { besideRatios, capacityMarkdown } from './capacity-report';
import { BASELINE_ROWS } from './run-baseline';
import { PEER_ROWS } from './run-peer';
import { SeqTracker } from './subscribers/seq-tracker';

test('the kept capacity plan is the default; any flag makes it a trial', () => {
  assert.deepEqual(capacityPlan([]), DEFAULT_CAPACITY);
  const trial = capacityPlan([
    '--only=sse',
    '--rates=1,4',
    '--subscribers=500',
    '--pollers=200',
    '--no-peers',
  ]);
  assert.deepEqual(trial.mechanisms, ['sse']);
  assert.deepEqual(trial.rates, [1, 4]);
  assert.equal(trial.pushSubscribers, 500);
  assert.equal(trial.pollingSubscribers, 200);
  assert.equal(trial.peers, false);
  assert.equal(trial.custom, true);
  assert.equal(capacityPlan(['--pollers=200']).custom, true);
});

test("a poller's limit is its interval plus the push wires' limit", () => {
  assert.equal(p99Limit(DEFAULT_CAPACITY, 'polling'), 1250);
  assert.equal(p99Limit(DEFAULT_CAPACITY, 'sse'), 250);
});

test("each wire's pushpull rows come first, then its baseline, then its peers", () => {
  const beside = [...BASELINE_ROWS, ...PEER_ROWS];
  assert.deepEqual(
    capacityRows(DEFAULT_CAPACITY.mechanisms, beside).map((r) => `${r.kind} ${r.label}`),
    [
      'pushpull sse',
      'pushpull streaming',
      'baseline raw-sse',
      'peer nchan sse',
      'peer better-sse',
      'pushpull websocket',
      'baseline raw-ws',
      'peer nchan websocket',
      'peer bare socket.io',
      'pushpull long-polling',
      'baseline fastify-long-polling',
      'peer nchan long-poll',
      'pushpull polling',
      'baseline fastify-polling',
    ],
  );
  // NDJSON alone still gets the SSE servers beside it; no rows beside: pushpull's alone.
  assert.deepEqual(
    capacityRows(['streaming'], beside).map((r) => r.label),
    ['streaming', 'raw-sse', 'nchan sse', 'better-sse'],
  );
  assert.deepEqual(
    capacityRows(['websocket', 'polling'], []).map((r) => r.label),
    ['websocket', 'polling'],
  );
});

const step = (rate: number, cpuPerDelivery: number, cpuPerRequest?: number): CapacityStep => ({
  rate,
  over: false,
  latencyMs: { p50: 10, p99: 20, max: 30 },
  delivered: 1000,
  deliveriesPerSecond: 250,
  lost: 0,
  late: 0,
  serverCpuMsPer1000: cpuPerDelivery,
  ...(cpuPerRequest !== undefined && { requests: 4000, serverCpuMsPer1000Requests: cpuPerRequest }),
  wireBytesPerDelivery: 1100,
  cpu: {
    serverCpuShare: 0.3,
    loadCpuShare: 0.3,
    serverCoreBusy: 0.3,
    loadCoreBusy: 0.3,
    saturated: 'neither',
    serverShared: false,
    loadShared: false,
  },
});

const row = (
  label: string,
  kind: CapacityRow['kind'],
  like: CapacityRow['like'],
  steps: CapacityStep[],
  rss = 10,
): CapacityRow => ({
  label,
  kind,
  like,
  subscribers: like === 'polling' ? 1000 : 10_000,
  rssKiBPerIdleConnection: rss,
  steps,
  sustained: steps.at(-1) ?? null,
});

const rows = [
  row('sse', 'pushpull', 'sse', [step(1, 30)]),
  row('streaming', 'pushpull', 'streaming', [step(1, 28)]),
  row('raw-sse', 'baseline', 'sse', [step(1, 25), step(2, 20)], 5),
  row('better-sse', 'peer', 'sse', [step(1, 40)]),
  row('polling', 'pushpull', 'polling', [step(2, 150, 39), step(4, 80, 40)]),
  row('fastify-polling', 'baseline', 'polling', [step(1, 100, 20), step(2, 75, 30)], 4),
];

test('the ratio table sets each pushpull row against its baselines and peers at the same step', () => {
  const lines = besideRatios(rows);
  assert.match(lines[0]!, /server CPU per delivery \| server CPU per request \|/);
  const line = (start: string) => lines.find((l) => l.startsWith(`| ${start} `));
  assert.equal(
    line('sse vs raw-sse (baseline)'),
    '| sse vs raw-sse (baseline) | 1/s | 1.20× | – | 2.00× |',
  );
  assert.equal(
    line('streaming vs better-sse (peer)'),
    '| streaming vs better-sse (peer) | 1/s | 0.70× | – | 1.00× |',
  );
  // Polling's first step was 2/s: the baseline's 2/s step is the other side, per request too.
  assert.equal(
    line('polling vs fastify-polling (baseline)'),
    '| polling vs fastify-polling (baseline) | 2/s | 2.00× | 1.30× | 2.50× |',
  );
  assert.equal(lines.length, 2 + 5 + 1);
});

test('the report shows CPU per 1 000 requests for the pull rows only', () => {
  const markdown = capacityMarkdown(DEFAULT_CAPACITY, rows, new Date(0), 60);
  const sustained = (label: string) =>
    markdown
      .split('\n')
      .find((l) => l.startsWith(`| ${label} | `) && l.includes('every step held'));
  assert.match(sustained('fastify-polling')!, /\| 30\.0 \| 1100 \|/);
  assert.match(sustained('raw-sse')!, /\| – \| 1100 \|/);
});

test("an earlier step's straggler (below the window's base) is neither a delivery nor a duplicate", () => {
  const tracker = new SeqTracker();
  assert.equal(tracker.record(-3), false);
  assert.equal(tracker.distinct, 0);
  assert.equal(tracker.duplicates, 0);
});
