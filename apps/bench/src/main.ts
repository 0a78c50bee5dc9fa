// `pnpm bench [smoke|standard|push-10k|ramp|capacity] [--check] [--only=sse,…]`: each mechanism against a fresh API process (pinned
// to core 0 with taskset where available; the load generator to core 1), results in docs/bench/.
import type { MechanismId } from '@pushpull/contracts';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runCapacity, type CapacityRow } from './capacity';
import { capacityPlan, type CapacityPlan } from './capacity-plan';
import { capacityHtml } from './capacity-chart';
import { capacityMarkdown } from './capacity-report';
import { runComparison } from './compare';
import { RAISE_NOFILE, type Pinning } from './load-workers';
import { outputDir, writeOutput } from './outputs';
import { checkPeers, peerCheckLines } from './peers/peer-check';
import { rampPlan, runRamp } from './ramp';
import { rampHtml } from './ramp-chart';
import { rampMarkdown } from './ramp-report';
import { renderPng } from './render-png';
import { machine, rowLabel, toMarkdown } from './report';
import { SCENARIOS, type Scenario } from './scenarios';

/** Every process the bench starts gets the hard descriptor limit, then its core where taskset exists. */
function pinning(): Pinning {
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    // This process publishes: it belongs with the load on core 1, not beside the API on core 0.
    execFileSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
    return {
      api: [...RAISE_NOFILE, 'taskset', '-c', '0'],
      load: [...RAISE_NOFILE, 'taskset', '-c', '1'],
      cores: { api: [0], load: [1] },
    };
  } catch {
    return { api: RAISE_NOFILE, load: RAISE_NOFILE, cores: null };
  }
}

const toJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

async function ramp(flags: string[], pins: Pinning): Promise<void> {
  const plan = rampPlan(flags);
  const ramps = await runRamp(plan, pins);
  const date = new Date();
  const out = outputDir(!plan.custom);
  const markdown = rampMarkdown(plan, ramps, date);
  await writeOutput(out, 'ramp.md', markdown);
  await writeOutput(out, 'ramp.json', toJson({ plan, machine: machine(), date, ramps }));
  await writeOutput(out, 'ramp.html', rampHtml(plan, ramps, date));
  await renderPng(path.join(out, 'ramp.html'), path.join(out, 'ramp.png'));
  console.error(markdown);
  console.error(`written to ${out}`);
}

async function capacity(flags: string[], pins: Pinning): Promise<void> {
  // `--rerender`: the kept run's tables and chart written again from its JSON, nothing measured.
  const kept = flags.includes('--rerender')
    ? (JSON.parse(readFileSync(path.join(outputDir(true), 'capacity.json'), 'utf8')) as {
        plan: CapacityPlan;
        rows: CapacityRow[];
        totalSeconds: number;
        date: string;
      })
    : undefined;
  const plan = kept?.plan ?? capacityPlan(flags);
  const { rows, totalSeconds } = kept ?? (await runCapacity(plan, pins));
  const date = kept ? new Date(kept.date) : new Date();
  const out = outputDir(!plan.custom);
  const markdown = capacityMarkdown(plan, rows, date, totalSeconds);
  await writeOutput(out, 'capacity.md', markdown);
  await writeOutput(
    out,
    'capacity.json',
    toJson({ plan, machine: machine(), date, totalSeconds, rows }),
  );
  await writeOutput(out, 'capacity.html', capacityHtml(plan, rows, date));
  await renderPng(path.join(out, 'capacity.html'), path.join(out, 'capacity.png'));
  console.error(markdown);
  console.error(`capacity took ${totalSeconds.toFixed(0)} s; written to ${out}`);
}

async function compare(name: string, flags: string[], pins: Pinning): Promise<void> {
  let scenario = SCENARIOS[name];
  if (!scenario)
    throw new Error(
      `Unknown scenario "${name}"; choose one of ${Object.keys(SCENARIOS).join(', ')}, ramp, capacity`,
    );
  const flag = (name: string) =>
    flags.find((f) => f.startsWith(`--${name}=`))?.slice(name.length + 3);
  const only = flag('only')?.split(',') as MechanismId[] | undefined;
  // A trial: `--subscribers=2000` (every push mechanism; pull keeps its count), `--rate`, `--seconds`.
  const subscribers = flag('subscribers');
  if (subscribers)
    scenario = {
      ...scenario,
      subscribers: Object.fromEntries(
        Object.entries(scenario.subscribers).map(([m, n]) => [
          m,
          m === 'polling' ? n : Number(subscribers),
        ]),
      ) as Scenario['subscribers'],
    };
  for (const key of ['rate', 'seconds', 'processes'] as const) {
    const value = flag(key);
    if (value) scenario = { ...scenario, [key]: Number(value) };
  }
  const trial = Boolean(
    only ?? subscribers ?? flag('rate') ?? flag('seconds') ?? flag('processes'),
  );
  const { results, throughput } = await runComparison(scenario, pins, only);
  const date = new Date();
  const markdown = toMarkdown(scenario, results, date, throughput);
  // A trial changed by flags stays out of docs/bench, like smoke.
  const out = outputDir(scenario.name !== 'smoke' && !trial);
  await writeOutput(out, `${scenario.name}.md`, markdown);
  await writeOutput(
    out,
    `${scenario.name}.json`,
    toJson({ scenario, machine: machine(), date, results, throughput }),
  );
  console.error(markdown);

  // The smoke also proves each peer's setup (installed ones; a skip is printed with how to install).
  const peers = scenario.name === 'smoke' ? await checkPeers(pins) : [];
  if (peers.length > 0) console.error(['peers:', ...peerCheckLines(peers)].join('\n'));

  if (flags.includes('--check')) {
    // The smoke run proves the harness: every event reached every subscriber exactly once, over
    // the lean subscribers and pushpull's client alike, and every installed peer works.
    const broken = results.filter(
      (r) => r.lost > 0 || r.late > 0 || r.duplicates > 0 || r.publishFailures > 0,
    );
    if (broken.length > 0)
      throw new Error(
        `lost, late or duplicated events: ${broken.map((r) => rowLabel(r)).join(', ')}`,
      );
    const failedPeers = peers.filter((p) => p.outcome === 'failed');
    if (failedPeers.length > 0)
      throw new Error(
        `peer checks failed: ${failedPeers.map((p) => `${p.peer} ${p.wire}`).join(', ')}`,
      );
    const skipped = peers.filter((p) => p.outcome === 'skipped').length;
    const passed = results.length + peers.length - skipped;
    console.error(
      `${passed} passed, 0 failed${skipped ? `, ${skipped} peer checks skipped (see above)` : ''}`,
    );
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const name = args.find((arg) => !arg.startsWith('--')) ?? 'standard';
  const pins = pinning();
  console.error(
    `bench ${name}: ${pins.api.length ? 'API on core 0, load on core 1' : 'taskset unavailable, no pinning'}`,
  );
  if (name === 'ramp') await ramp(args, pins);
  else if (name === 'capacity') await capacity(args, pins);
  else await compare(name, args, pins);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
