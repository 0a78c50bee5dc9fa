// The `smoke` and `standard` scenarios: every mechanism in turn against a fresh API, the same
// workload against each baseline server, the queue through each broker, then relay jobs/s.
import { MECHANISM_IDS } from '@pushpull/contracts';
import type { Pinning } from './load-workers';
import type { BaselineId, MechanismResult } from './result';
import { BASELINES, runBaseline } from './run-baseline';
import { runMechanism } from './run-mechanism';
import { runQueueThroughput, type QueueThroughput } from './run-queue-throughput';
import type { Scenario } from './scenarios';

const summary = (r: MechanismResult) =>
  `p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, lost ${r.lost}, dup ${r.duplicates}`;

export async function runComparison(
  scenario: Scenario,
  pins: Pinning,
): Promise<{ results: MechanismResult[]; throughput: QueueThroughput[] }> {
  const results: MechanismResult[] = [];
  for (const mechanism of MECHANISM_IDS) {
    const started = Date.now();
    console.error(
      `  ${mechanism}: ${scenario.subscribers[mechanism]} subscribers, ${scenario.rate}/s for ${scenario.seconds} s…`,
    );
    const result = await runMechanism(mechanism, scenario, pins);
    results.push(result);
    console.error(
      `  ${mechanism}: ${summary(result)} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
    );
  }

  // The same workload against bare servers: how far each mechanism is from the floor.
  for (const id of Object.keys(BASELINES) as BaselineId[]) {
    console.error(`  baseline ${id}: ${scenario.subscribers[BASELINES[id].like]} subscribers…`);
    const result = await runBaseline(id, scenario, pins);
    results.push(result);
    console.error(`  baseline ${id}: ${summary(result)}`);
  }

  // The queue as jobs: the relay round trip through each broker, and how many jobs a second it takes.
  for (const driver of ['rabbitmq', 'bullmq'] as const) {
    console.error(
      `  message-queue on ${driver}: ${scenario.subscribers['message-queue']} subscribers…`,
    );
    const result = await runMechanism('message-queue', scenario, pins, driver);
    results.push({ ...result, mechanism: `message-queue (${driver})` });
    console.error(`  message-queue on ${driver}: ${summary(result)}`);
  }
  const throughput: QueueThroughput[] = [];
  for (const driver of ['memory', 'rabbitmq', 'bullmq'] as const) {
    throughput.push(await runQueueThroughput(driver, scenario.throughputJobs, pins));
    console.error(`  ${driver}: ${throughput.at(-1)!.jobsPerSecond.toFixed(0)} relay jobs/s`);
  }
  return { results, throughput };
}
