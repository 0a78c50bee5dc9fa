import { readFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { combine, startLoad, type Pinning } from './load-workers';
import { publishOpenLoop } from './publisher';
import type { MechanismResult } from './run-mechanism';
import type { Scenario } from './scenarios';

export type BaselineId = 'raw-sse' | 'raw-ws';
const SCRIPTS: Record<BaselineId, string> = {
  'raw-sse': 'raw-sse-server.js',
  'raw-ws': 'raw-ws-server.js',
};
const TICKS_PER_SECOND = 100; // Linux USER_HZ

/** CPU seconds and RSS of a process, from /proc: the baselines have no /metrics. */
function processStats(pid: number): { cpuSeconds: number; rssBytes: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  const rssKiB = Number(
    /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0,
  );
  return { cpuSeconds, rssBytes: rssKiB * 1024 };
}

/** Runs the same workload against a raw server: the floor a mechanism is compared with. */
export async function runBaseline(
  id: BaselineId,
  subscribers: number,
  scenario: Scenario,
  pinning: Pinning,
): Promise<MechanismResult> {
  const [command, ...args] = [
    ...pinning.api,
    process.execPath,
    path.join(__dirname, 'baselines', SCRIPTS[id]),
  ];
  const server = spawn(command!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const port = await new Promise<number>((resolve) =>
    server.stderr.on('data', (chunk: Buffer) => {
      const match = /listening on (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    }),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    const idle = processStats(server.pid!);
    const load = await startLoad(
      { mechanism: id, baseUrl, channel: id, pollIntervalMs: 0 },
      subscribers,
      scenario.processes,
      pinning,
    );
    const connected = processStats(server.pid!);
    const started = Date.now();
    const { sent, failed } = await publishOpenLoop({
      mechanism: id,
      baseUrl,
      channel: id,
      rate: scenario.rate,
      payloadBytes: scenario.payloadBytes,
      seconds: scenario.seconds,
    });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const wallSeconds = (Date.now() - started) / 1000;
    const loaded = processStats(server.pid!);
    const { latencyMs, delivered, lost, duplicates, reconnects } = combine(await load.stop(), sent);
    const cpuSeconds = loaded.cpuSeconds - connected.cpuSeconds;
    return {
      mechanism: id,
      subscribers,
      published: sent,
      publishFailures: failed,
      deliveriesPerSecond: delivered / wallSeconds,
      latencyMs,
      requestsPerDelivery: 0,
      bytesPerDelivery: Number.NaN,
      serverCpuMsPer1000: (cpuSeconds * 1000 * 1000) / Math.max(1, delivered),
      rssKiBPerIdleConnection:
        Math.max(0, connected.rssBytes - idle.rssBytes) / 1024 / Math.max(1, subscribers),
      heapKiBPerIdleConnection: Number.NaN,
      lost,
      duplicates,
      reconnects,
      clientBound: cpuSeconds / wallSeconds < 0.9,
    };
  } finally {
    server.kill('SIGTERM');
  }
}
