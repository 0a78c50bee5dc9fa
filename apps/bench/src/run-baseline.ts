import type { MechanismId } from '@pushpull/contracts';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { combine, startLoad, type Pinning } from './load-workers';
import { publishOpenLoop } from './publisher';
import { toResult, type BaselineId, type MechanismResult } from './result';
import type { Scenario } from './scenarios';
import type { WorkerJob } from './subscriber-worker';

interface Baseline {
  script: string;
  /** Who subscribes: a raw client of the protocol, or pushpull's own client on the same wire. */
  client: WorkerJob['mechanism'];
  /** The mechanism it is the floor of: same subscriber count, and the row it is compared with. */
  like: MechanismId;
}

export const BASELINES: Record<BaselineId, Baseline> = {
  'raw-sse': { script: 'raw-sse-server.js', client: 'raw-sse', like: 'sse' },
  'raw-ws': { script: 'raw-ws-server.js', client: 'raw-ws', like: 'websocket' },
  'fastify-polling': { script: 'fastify-pull-server.js', client: 'polling', like: 'polling' },
  'fastify-long-polling': {
    script: 'fastify-pull-server.js',
    client: 'long-polling',
    like: 'long-polling',
  },
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

/** Runs the same workload against a baseline server: the floor a mechanism is compared with. */
export async function runBaseline(
  id: BaselineId,
  scenario: Scenario,
  pinning: Pinning,
): Promise<MechanismResult> {
  const { script, client, like } = BASELINES[id];
  const subscribers = scenario.subscribers[like];
  const [command, ...args] = [
    ...pinning.api,
    process.execPath,
    path.join(__dirname, 'baselines', script),
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
      { mechanism: client, baseUrl, channel: id, pollIntervalMs: scenario.pollIntervalMs },
      subscribers,
      scenario.processes,
      pinning,
    );
    const connected = processStats(server.pid!);
    const started = Date.now();
    const { sent, failed } = await publishOpenLoop({
      mechanism: client,
      baseUrl,
      channel: id,
      rate: scenario.rate,
      payloadBytes: scenario.payloadBytes,
      seconds: scenario.seconds,
    });
    // The same drain as the API's rows: pollers need an interval to see the last event.
    await new Promise((resolve) => setTimeout(resolve, scenario.pollIntervalMs * 2 + 2000));
    const wallSeconds = (Date.now() - started) / 1000;
    const loaded = processStats(server.pid!);
    const measured = combine(await load.stop(), sent);
    return toResult({
      mechanism: id,
      subscribers,
      sent,
      failed,
      publishSeconds: scenario.seconds,
      wallSeconds,
      serverCpuSeconds: loaded.cpuSeconds - connected.cpuSeconds,
      requests: measured.requests,
      bytes: Number.NaN,
      rss: { idle: idle.rssBytes, connected: connected.rssBytes },
      heap: { idle: Number.NaN, connected: Number.NaN },
      load: measured,
    });
  } finally {
    server.kill('SIGTERM');
  }
}
