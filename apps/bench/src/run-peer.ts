// The peers as server rows: each wire of each peer under the same lean load as the pushpull row it
// stands beside (nchan's three wires, better-sse, bare socket.io), measured from /proc.
import type { MechanismId } from '@pushpull/contracts';
import type { Pinning } from './load-workers';
import { nchanSubscribers } from './peers/peer-check';
import { childPids } from './peers/process-stats';
import { PEERS, startPeer, type PeerId, type RunningPeer } from './peers/peer-servers';
import type { PublishTarget } from './publisher';
import type { MechanismResult } from './result';
import { measureRun, type ServerRow } from './run-load';
import type { Scenario } from './scenarios';
import type { Target } from './subscribers/types';

export interface PeerRow {
  /** The row's name in the report, e.g. `nchan sse`. */
  label: string;
  peer: PeerId;
  /** The pushpull mechanism it stands beside: same subscriber count, and the ratio's other side. */
  like: MechanismId;
  target: (baseUrl: string, channel: string) => Target;
  publish: (baseUrl: string, channel: string) => PublishTarget;
}

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
    label: 'nchan sse',
    peer: 'nchan',
    like: 'sse',
    // The lean SSE subscriber sends `Accept: text/event-stream`, which nchan requires.
    target: (b, channel) => ({ wire: 'sse', url: url(b, 'sse', channel), channel }),
    publish: post,
  },
  {
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
    label: 'better-sse',
    peer: 'better-sse',
    like: 'sse',
    target: (b, channel) => ({ wire: 'sse', url: url(b, 'sse', channel), channel }),
    publish: api,
  },
  {
    label: 'bare socket.io',
    peer: 'socket.io',
    like: 'websocket',
    target: (b, channel) => ({ wire: 'socket.io', url: b, channel }),
    publish: api,
  },
];

/** The peer rows beside `mechanisms`; a peer that is not installed is printed, with how to get it. */
export function peerRowsFor(mechanisms: MechanismId[]): PeerRow[] {
  const rows = PEER_ROWS.filter((r) => mechanisms.includes(r.like));
  const missing = new Set(rows.map((r) => r.peer).filter((id) => PEERS[id].unavailable()));
  for (const id of missing) console.error(`  skipping the ${id} rows: ${PEERS[id].unavailable()}`);
  return rows.filter((r) => !missing.has(r.peer));
}

/**
 * A running peer as a `ServerRow`: every process it has (nginx's master and worker), and for
 * nchan a wait until it counts every subscriber, since a held long poll cannot say it is in.
 */
export function peerServerRow(row: PeerRow, running: RunningPeer, subscribers: number): ServerRow {
  const channel = `bench-${row.label.replace(/[^a-z]+/g, '-')}`;
  return {
    label: row.label,
    subscriber: { client: 'lean', target: row.target(running.baseUrl, channel) },
    subscribers,
    publish: row.publish(running.baseUrl, channel),
    serverPids: [running.pid, ...childPids(running.pid)],
    ...(row.peer === 'nchan' && {
      ready: () => nchanSubscribers(running.baseUrl, channel, subscribers, 60_000),
    }),
  };
}

/** One peer row: a fresh peer, the scenario's load for the mechanism it stands beside. */
export async function runPeer(
  row: PeerRow,
  scenario: Scenario,
  pinning: Pinning,
): Promise<MechanismResult> {
  const running = await startPeer(row.peer, pinning);
  try {
    const serverRow = peerServerRow(row, running, scenario.subscribers[row.like]);
    return await measureRun(serverRow, scenario, pinning);
  } finally {
    await running.stop();
  }
}
