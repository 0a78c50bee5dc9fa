import { fixed, machine, percent } from './report';
import type { MechanismRamp, RampPlan } from './ramp';

const orNone = (n: number | null) => (n === null ? '–' : String(n));

/** The ramp as markdown: the knee per mechanism first, then every step that ran. */
export function rampMarkdown(plan: RampPlan, ramps: MechanismRamp[], date: Date): string {
  const m = machine();
  return [
    '# Bench: ramp',
    '',
    `${date.toISOString()} · ${m.cores} cores (${m.cpu}) · Node ${m.node} · ${m.platform}`,
    '',
    `Each step is a fresh API on the server core and N subscribers on the load core, publishing ` +
      `open-loop at ${plan.rate} events/s of ${plan.payloadBytes} B for ${plan.stepSeconds} s. A mechanism ` +
      `stops at the first step whose p99 passes ${plan.p99LimitMs} ms (or that loses events) on two tries.`,
    `Chart: [ramp.html](ramp.html).`,
    '',
    `| mechanism | knee: last step under ${plan.p99LimitMs} ms | first step over |`,
    '| --- | ---: | ---: |',
    ...ramps.map(
      (r) => `| ${r.mechanism} | ${orNone(r.knee.lastUnder)} | ${orNone(r.knee.firstOver)} |`,
    ),
    '',
    '| mechanism | subscribers | p50 ms | p99 ms | max ms | deliveries/s | lost + late | server CPU ms/1000 | server / load CPU | over |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...ramps.flatMap((r) =>
      r.steps.map(({ subscribers, over, result, error, tries }) =>
        result
          ? `| ${r.mechanism} | ${subscribers} | ${result.latencyMs.p50} | ${result.latencyMs.p99} | ${result.latencyMs.max} | ${fixed(result.deliveriesPerSecond, 0)} | ${result.lost + result.late} | ${fixed(result.serverCpuMsPer1000)} | ${percent(result.cpu.serverCpuShare)} / ${percent(result.cpu.loadCpuShare)} | ${over ? 'yes' : 'no'}${tries === 2 ? ' (2 tries)' : ''} |`
          : `| ${r.mechanism} | ${subscribers} | – | – | – | – | – | – | – | failed: ${error ?? 'unknown'} |`,
      ),
    ),
    '',
  ].join('\n');
}
