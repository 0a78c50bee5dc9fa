// The baselines as server rows: the least a server of each wire can do (apps/bench/src/baselines/),
// under the same lean load as the pushpull row it is the floor of. They run like the peers
// (run-peer.ts): a process started pinned on the API's core, stopped by its PID.
import type { PublishTarget } from './publisher';
import type { BaselineId } from './result';
import { apiTarget } from './run-mechanism';
import type { BesideRow } from './run-peer';

export type BaselineRow = Extract<BesideRow, { kind: 'baseline' }> & { label: BaselineId };

const post = (baseUrl: string): PublishTarget => ({ via: 'post', url: `${baseUrl}/publish` });
const api = (baseUrl: string, channel: string): PublishTarget => ({ via: 'api', baseUrl, channel });

export const BASELINE_ROWS: BaselineRow[] = [
  {
    kind: 'baseline',
    label: 'raw-sse',
    script: 'raw-sse-server.js',
    like: 'sse',
    // One stream for every channel: the URL names none.
    target: (baseUrl, channel) => ({ wire: 'sse', url: `${baseUrl}/sse`, channel }),
    publish: post,
  },
  {
    kind: 'baseline',
    label: 'raw-ws',
    script: 'raw-ws-server.js',
    like: 'websocket',
    target: (baseUrl, channel) => ({ wire: 'ws', url: baseUrl.replace('http', 'ws'), channel }),
    publish: post,
  },
  // The same pull wire as the API's: the same lean subscriber against both.
  {
    kind: 'baseline',
    label: 'fastify-polling',
    script: 'fastify-pull-server.js',
    like: 'polling',
    target: (baseUrl, channel) => apiTarget('polling', baseUrl, channel),
    publish: api,
  },
  {
    kind: 'baseline',
    label: 'fastify-long-polling',
    script: 'fastify-pull-server.js',
    like: 'long-polling',
    target: (baseUrl, channel) => apiTarget('long-polling', baseUrl, channel),
    publish: api,
  },
];
