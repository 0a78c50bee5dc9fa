// `pnpm bench [smoke|standard] [--check]`: each mechanism in turn against a fresh API process
// (pinned to core 0 with taskset where available; the load generator to core 1), same workload,
// results as a markdown table and JSON in docs/bench/.
import { MECHANISM_IDS } from '@pushpull/contracts';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { machine, toMarkdown } from './report';
import type { Pinning } from './load-workers';
import { runBaseline } from './run-baseline';
import { runQueueThroughput } from './run-queue-throughput';
import { runMechanism, type MechanismResult } from './run-mechanism';
import { SCENARIOS } from './scenarios';

function pinning(): Pinning {
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return { api: ['taskset', '-c', '0'], load: ['taskset', '-c', '1'] };
  } catch {
    return { api: [], load: [] };
  }
}

async function main(): Promise<void> {
  const name = process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? 'standard';
  const check = process.argv.includes('--check');
  const scenario = SCENARIOS[name];
  if (!scenario)
    throw new Error(
      `Unknown scenario "${name}"; choose one of ${Object.keys(SCENARIOS).join(', ')}`,
    );
  const pins = pinning();
  console.error(
    `bench ${scenario.name}: ${pins.api.length ? 'API on core 0, load on core 1' : 'taskset unavailable, no pinning'}`,
  );

  const results: MechanismResult[] = [];
  for (const mechanism of MECHANISM_IDS) {
    const started = Date.now();
    console.error(
      `  ${mechanism}: ${scenario.subscribers[mechanism]} subscribers, ${scenario.rate}/s for ${scenario.seconds} s…`,
    );
    const result = await runMechanism(mechanism, scenario, pins);
    results.push(result);
    console.error(
      `  ${mechanism}: p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, lost ${result.lost}, dup ${result.duplicates} (${((Date.now() - started) / 1000).toFixed(0)} s)`,
    );
  }

  // The same workload against raw servers: how far each mechanism is from the floor.
  for (const [id, like] of [
    ['raw-sse', 'sse'],
    ['raw-ws', 'websocket'],
  ] as const) {
    console.error(`  baseline ${id}: ${scenario.subscribers[like]} subscribers…`);
    const result = await runBaseline(id, scenario.subscribers[like], scenario, pins);
    results.push(result);
    console.error(
      `  baseline ${id}: p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, lost ${result.lost}`,
    );
  }

  // The queue as jobs: the relay round trip through each broker, and how many jobs a second it takes.
  for (const driver of ['rabbitmq', 'bullmq'] as const) {
    console.error(
      `  message-queue on ${driver}: ${scenario.subscribers['message-queue']} subscribers…`,
    );
    const result = await runMechanism('message-queue', scenario, pins, driver);
    results.push({ ...result, mechanism: `message-queue (${driver})` });
    console.error(
      `  message-queue on ${driver}: p50 ${result.latencyMs.p50} ms, lost ${result.lost}`,
    );
  }
  const throughput = [];
  for (const driver of ['memory', 'rabbitmq', 'bullmq'] as const) {
    throughput.push(await runQueueThroughput(driver, scenario.throughputJobs, pins));
    console.error(`  ${driver}: ${throughput.at(-1)!.jobsPerSecond.toFixed(0)} relay jobs/s`);
  }

  const date = new Date();
  const markdown = toMarkdown(scenario, results, date, throughput);
  // The smoke run only proves the harness: its figures stay out of the docs.
  const out = path.resolve(
    __dirname,
    scenario.name === 'smoke' ? '../.results' : '../../../docs/bench',
  );
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, `${scenario.name}.md`), markdown);
  writeFileSync(
    path.join(out, `${scenario.name}.json`),
    `${JSON.stringify({ scenario, machine: machine(), date, results }, null, 2)}\n`,
  );
  console.error(markdown);

  if (check) {
    // The smoke run proves the harness: every event reached every subscriber exactly once.
    const broken = results.filter((r) => r.lost > 0 || r.duplicates > 0 || r.publishFailures > 0);
    if (broken.length > 0)
      throw new Error(`lost or duplicated events: ${broken.map((r) => r.mechanism).join(', ')}`);
    console.error(`${results.length} passed, 0 failed`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
