import type { MechanismId } from '@pushpull/contracts';
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Pinning } from './load-workers';
import type { PublishTarget } from './publisher';
import type { BaselineId, MechanismResult } from './result';
import { apiTarget } from './run-mechanism';
import { measureRun } from './run-load';
import type { Scenario } from './scenarios';
import type { Target } from './subscribers/types';

interface Baseline {
  script: string;
  /** The lean subscriber's wire and URL on this server. */
  target: (baseUrl: string, channel: string) => Target;
  publish: (baseUrl: string, channel: string) => PublishTarget;
  /** The mechanism it is the floor of: same subscriber count, and the row it is compared with. */
  like: MechanismId;
}

const post = (baseUrl: string): PublishTarget => ({ via: 'post', url: `${baseUrl}/publish` });
const api = (baseUrl: string, channel: string): PublishTarget => ({ via: 'api', baseUrl, channel });

export const BASELINES: Record<BaselineId, Baseline> = {
  'raw-sse': {
    script: 'raw-sse-server.js',
    target: (baseUrl, channel) => ({ wire: 'sse', url: `${baseUrl}/sse`, channel }),
    publish: post,
    like: 'sse',
  },
  'raw-ws': {
    script: 'raw-ws-server.js',
    target: (baseUrl, channel) => ({ wire: 'ws', url: baseUrl.replace('http', 'ws'), channel }),
    publish: post,
    like: 'websocket',
  },
  // The same pull wire as the API's: the same lean subscriber against both.
  'fastify-polling': {
    script: 'fastify-pull-server.js',
    target: (baseUrl, channel) => apiTarget('polling', baseUrl, channel),
    publish: api,
    like: 'polling',
  },
  'fastify-long-polling': {
    script: 'fastify-pull-server.js',
    target: (baseUrl, channel) => apiTarget('long-polling', baseUrl, channel),
    publish: api,
    like: 'long-polling',
  },
};

/** Runs the same workload against a baseline server: the floor a mechanism is compared with. */
export async function runBaseline(
  id: BaselineId,
  scenario: Scenario,
  pinning: Pinning,
): Promise<MechanismResult> {
  const { script, target, publish, like } = BASELINES[id];
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
    return await measureRun(
      {
        label: id,
        subscriber: { client: 'lean', target: target(baseUrl, id) },
        subscribers: scenario.subscribers[like],
        publish: publish(baseUrl, id),
        serverPids: [server.pid!],
      },
      scenario,
      pinning,
    );
  } finally {
    server.kill('SIGTERM');
  }
}
