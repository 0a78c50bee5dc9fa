// The `smoke`, `standard` and `push-10k` scenarios: every mechanism in turn against a fresh API
// with lean subscribers, then with pushpull's own client, the same workload against each baseline
// server and each peer, the queue through each broker, then relay jobs/s.
import { MECHANISM_IDS, type MechanismId } from '@pushpull/contracts';
import type { Pinning } from './load-workers';
import type { MechanismResult, SubscriberKind } from './result';
import { BASELINE_ROWS } from './run-baseline';
import { runMechanism } from './run-mechanism';
import { besideRowsFor, PEER_ROWS, runBeside } from './run-peer';
import { runQueueThroughput, type QueueThroughput } from './run-queue-throughput';
import type { Scenario } from './scenarios';

const summary = (r: MechanismResult) =>
  `p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, lost ${r.lost}, late ${r.late}, ` +
  `dup ${r.duplicates}, server ${Math.round(r.cpu.serverCpuShare * 100)} % / ` +
  `load ${Math.round(r.cpu.loadCpuShare * 100)} % (saturated: ${r.cpu.saturated})`;

async function timed(label: string, run: () => Promise<MechanismResult>) {
  const started = Date.now();
  console.error(`  ${label}…`);
  const result = await run();
  console.error(`  ${label}: ${summary(result)} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return result;
}

export async function runComparison(
  scenario: Scenario,
  pins: Pinning,
  only?: MechanismId[],
): Promise<{ results: MechanismResult[]; throughput: QueueThroughput[] }> {
  const mechanisms = (only ?? scenario.mechanisms ?? MECHANISM_IDS).filter((m) =>
    MECHANISM_IDS.includes(m),
  );
  const results: MechanismResult[] = [];
  const rows: Array<[SubscriberKind, Record<MechanismId, number>]> = [
    ['lean', scenario.subscribers],
    ['pushpull-client', scenario.clientSubscribers],
  ];
  for (const [kind, counts] of rows)
    for (const mechanism of mechanisms) {
      if (counts[mechanism] === 0) continue;
      const label = `${mechanism} (${kind}, ${counts[mechanism]} subscribers, ${scenario.rate}/s for ${scenario.seconds} s)`;
      results.push(
        await timed(label, () => runMechanism(mechanism, scenario, pins, 'memory', kind)),
      );
    }
  // The same workload against bare servers: how far each mechanism is from the floor. Then what a
  // team would run instead, under the same load: where pushpull stands against them.
  const beside = besideRowsFor(
    [...(scenario.baselines ? BASELINE_ROWS : []), ...(scenario.peers ? PEER_ROWS : [])],
    mechanisms,
  );
  for (const row of beside)
    results.push(await timed(`${row.kind} ${row.label}`, () => runBeside(row, scenario, pins)));

  // The queue as jobs: the relay round trip through each broker, and how many jobs a second it takes.
  const throughput: QueueThroughput[] = [];
  if (!scenario.queues || !mechanisms.includes('message-queue')) return { results, throughput };
  for (const driver of ['rabbitmq', 'bullmq'] as const) {
    const result = await timed(`message-queue on ${driver}`, () =>
      runMechanism('message-queue', scenario, pins, driver),
    );
    results.push({ ...result, mechanism: `message-queue (${driver})` });
  }
  for (const driver of ['memory', 'rabbitmq', 'bullmq'] as const) {
    throughput.push(await runQueueThroughput(driver, scenario.throughputJobs, pins));
    console.error(`  ${driver}: ${throughput.at(-1)!.jobsPerSecond.toFixed(0)} relay jobs/s`);
  }
  return { results, throughput };
}
