// The rows beside pushpull's: servers that are not its API, each under the same lean load as the
// pushpull row it stands beside, measured from /proc. The peers are here (each wire of nchan,
// better-sse, bare socket.io); the baselines, the floors, in run-baseline.ts. Either is a server
// process started pinned on the API's core and stopped by its PID.
import type { MechanismId } from '@pushpull/contracts';
import path from 'node:path';
import type { Pinning } from './load-workers';
import { nchanSubscribers } from './peers/peer-check';
import { childPids } from './peers/process-stats';
import {
  PEERS,
  startNodeServer,
  startPeer,
  type PeerId,
  type RunningPeer,
} from './peers/peer-servers';
import type { PublishTarget } from './publisher';
import type { MechanismResult } from './result';
import { measureRun, type ServerRow } from './run-load';
import type { Scenario } from './scenarios';
import type { Target } from './subscribers/types';

/**
 * A server row beside pushpull's: a peer (what a team would run instead) or a baseline (the least
 * a server of that wire can do, apps/bench/src/baselines/: the floor).
 */
export type BesideRow = {
  /** The row's name in the report, e.g. `nchan sse`, `raw-sse`. */
  label: string;
  /** The pushpull mechanism it stands beside: same subscriber count, and the ratio's other side. */
  like: MechanismId;
  target: (baseUrl: string, channel: string) => Target;
  publish: (baseUrl: string, channel: string) => PublishTarget;
} & ({ kind: 'peer'; peer: PeerId } | { kind: 'baseline'; script: string });

/** A peer's row (the baselines' are in run-baseline.ts). */
export type PeerRow = Extract<BesideRow, { kind: 'peer' }>;

const url = (baseUrl: string, prefix: string, channel: string) =>
  `${baseUrl}/api/${prefix}/${encodeURIComponent(channel)}`;
// nchan answers 201 or 202 with its channel info: a plain POST taking any 2xx.
const post = (baseUrl: string, channel: string): PublishTarget => ({
  via: 'post',
  url: url(baseUrl, 'channels', channel) + '/events',
});
// The Node peers answer the API's publish as the API does.
const api = (baseUrl: string, channel: string): PublishTarget => ({ via: 'api', baseUrl, channel });

export const PEER_ROWS: PeerRow[] = [
  {
    kind: 'peer',
    label: 'nchan sse',
    peer: 'nchan',
    like: 'sse',
    // The lean SSE subscriber sends `Accept: text/event-stream`, which nchan requires.
    target: (b, channel) => ({ wire: 'sse', url: url(b, 'sse', channel), channel }),
    publish: post,
  },
  {
    kind: 'peer',
    label: 'nchan long-poll',
    peer: 'nchan',
    like: 'long-polling',
    target: (b, channel) => ({
      wire: 'nchan-long-poll',
      url: url(b, 'long-poll', channel),
      channel,
    }),
    publish: post,
  },
  {
    kind: 'peer',
    label: 'nchan websocket',
    peer: 'nchan',
    like: 'websocket',
    target: (b, channel) => ({
      wire: 'ws',
      url: url(b, 'ws', channel).replace('http', 'ws'),
      channel,
    }),
    publish: post,
  },
  {
    kind: 'peer',
    label: 'better-sse',
    peer: 'better-sse',
    like: 'sse',
    target: (b, channel) => ({ wire: 'sse', url: url(b, 'sse', channel), channel }),
    publish: api,
  },
  {
    kind: 'peer',
    label: 'bare socket.io',
    peer: 'socket.io',
    like: 'websocket',
    target: (b, channel) => ({ wire: 'socket.io', url: b, channel }),
    publish: api,
  },
];

/**
 * The rows of `rows` beside `likes`; a peer that is not installed is left out and printed, with
 * how to get it (a baseline is part of the bench: always there).
 */
export function besideRowsFor(rows: BesideRow[], likes: MechanismId[]): BesideRow[] {
  const wanted = rows.filter((r) => likes.includes(r.like));
  const missing = new Set(
    wanted.flatMap((r) => (r.kind === 'peer' && PEERS[r.peer].unavailable() ? [r.peer] : [])),
  );
  for (const id of missing) console.error(`  skipping the ${id} rows: ${PEERS[id].unavailable()}`);
  return wanted.filter((r) => r.kind !== 'peer' || !missing.has(r.peer));
}

/** Starts a row's server pinned on the API's core: a peer, or a baseline's built script. */
export function startBeside(row: BesideRow, pinning: Pinning): Promise<RunningPeer> {
  return row.kind === 'peer'
    ? startPeer(row.peer, pinning)
    : startNodeServer(path.join(__dirname, 'baselines', row.script), pinning);
}

/**
 * A running peer or baseline as a `ServerRow`: every process it has (nginx's master and worker),
 * and for nchan a wait until it counts every subscriber, since a held long poll cannot say it is in.
 */
export function besideServerRow(
  row: BesideRow,
  running: RunningPeer,
  subscribers: number,
): ServerRow {
  const channel = `bench-${row.label.replace(/[^a-z]+/g, '-')}`;
  return {
    label: row.label,
    subscriber: { client: 'lean', target: row.target(running.baseUrl, channel) },
    subscribers,
    publish: row.publish(running.baseUrl, channel),
    serverPids: [running.pid, ...childPids(running.pid)],
    ...(row.kind === 'peer' &&
      row.peer === 'nchan' && {
        ready: () => nchanSubscribers(running.baseUrl, channel, subscribers, 60_000),
      }),
  };
}

/** One peer or baseline row: a fresh server, the scenario's load for the mechanism it stands beside. */
export async function runBeside(
  row: BesideRow,
  scenario: Scenario,
  pinning: Pinning,
): Promise<MechanismResult> {
  const running = await startBeside(row, pinning);
  try {
    const serverRow = besideServerRow(row, running, scenario.subscribers[row.like]);
    return await measureRun(serverRow, scenario, pinning);
  } finally {
    await running.stop();
  }
}
