// The smoke's behaviour check of the peers: on every wire of every peer, 3 clients subscribe, 10
// events are published, and each client must get all 10, in order, once. It proves the peer setup
// (config, paths, payload shape) before a bench run leans on it; it measures nothing.
import type { Pinning } from '../load-workers';
import { connectClient, type PeerClient } from './peer-clients';
import {
  PEERS,
  startPeer,
  type Peer,
  type PeerId,
  type PeerWire,
  type RunningPeer,
} from './peer-servers';

const CLIENTS = 3;
const EVENTS = 10;
const ARRIVAL_TIMEOUT_MS = 5000;

export interface PeerCheck {
  peer: PeerId;
  wire: PeerWire['wire'];
  /** 'skipped' only when the peer is not installed; `detail` then says how to install it. */
  outcome: 'passed' | 'failed' | 'skipped';
  detail: string;
}

export async function checkPeers(pinning: Pinning): Promise<PeerCheck[]> {
  const checks: PeerCheck[] = [];
  for (const peer of Object.values(PEERS)) {
    const reason = peer.unavailable();
    if (reason) {
      checks.push(...everyWire(peer, 'skipped', reason));
      continue;
    }
    let running: RunningPeer | undefined;
    try {
      running = await startPeer(peer.id, pinning);
      for (const wire of peer.wires) checks.push(await checkWire(peer.id, wire, running.baseUrl));
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      checks.push(...everyWire(peer, 'failed', detail));
    } finally {
      await running?.stop();
    }
  }
  return checks;
}

/** One outcome for all of a peer's wires: it is not installed, or it did not start. */
const everyWire = (peer: Peer, outcome: PeerCheck['outcome'], detail: string): PeerCheck[] =>
  peer.wires.map((w) => ({ peer: peer.id, wire: w.wire, outcome, detail }));

async function checkWire(peer: PeerId, wire: PeerWire, baseUrl: string): Promise<PeerCheck> {
  const channel = `check-${wire.wire.replace('.', '')}`;
  const received = Array.from({ length: CLIENTS }, () => [] as number[]);
  const clients: PeerClient[] = received.map((seqs) =>
    connectClient(wire, baseUrl, channel, (payload) => seqs.push(payload.data.seq)),
  );
  const result = (outcome: PeerCheck['outcome'], detail: string): PeerCheck => ({
    peer,
    wire: wire.wire,
    outcome,
    detail,
  });
  try {
    await Promise.all(clients.map((c) => c.open));
    if (peer === 'nchan') await nchanSubscribers(baseUrl, channel, CLIENTS);
    for (let seq = 0; seq < EVENTS; seq++) {
      const response = await fetch(`${baseUrl}/api/channels/${channel}/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ type: 'check', data: { seq, sentAt: Date.now() } }),
      });
      if (!response.ok) return result('failed', `publish ${seq} answered ${response.status}`);
    }
    const deadline = Date.now() + ARRIVAL_TIMEOUT_MS;
    while (received.some((seqs) => seqs.length < EVENTS) && Date.now() < deadline) await sleep(20);
    await sleep(100); // a duplicate arriving late is a failure too
    const expected = Array.from({ length: EVENTS }, (_, i) => i).join(',');
    const wrong = received.findIndex((seqs) => seqs.join(',') !== expected);
    if (wrong >= 0)
      return result(
        'failed',
        `client ${wrong} got [${received[wrong]!.join(',')}], expected [${expected}]`,
      );
    const ids = clients[0]!.ids;
    return result(
      'passed',
      `${CLIENTS} clients × ${EVENTS} events in order${ids.length ? `; ids ${ids[0]} … ${ids.at(-1)}` : ''}`,
    );
  } catch (error) {
    return result('failed', error instanceof Error ? error.message : String(error));
  } finally {
    clients.forEach((c) => c.close());
  }
}

/**
 * Waits until nchan holds `count` subscribers on the channel: a GET on the publisher location
 * answers its channel info. A long poll has no other way to say it is waiting.
 */
export async function nchanSubscribers(
  baseUrl: string,
  channel: string,
  count: number,
  timeoutMs = ARRIVAL_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${baseUrl}/api/channels/${channel}/events`, {
      headers: { Accept: 'text/json' },
    });
    const info = response.ok ? ((await response.json()) as { subscribers: number }) : undefined;
    if ((info?.subscribers ?? 0) >= count) return;
    if (Date.now() > deadline)
      throw new Error(`nchan counted ${info?.subscribers ?? 0} of ${count} subscribers`);
    await sleep(20);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One line per check, skips included: a skipped peer must be seen, never pass silently. */
export function peerCheckLines(checks: PeerCheck[]): string[] {
  return checks.map((c) => `  peer ${c.peer} ${c.wire}: ${c.outcome} — ${c.detail}`);
}
