import type { MechanismId } from '@pushpull/contracts';

export interface Scenario {
  name: string;
  /** The mechanisms it runs (all of them when left out). */
  mechanisms?: MechanismId[];
  /** Lean subscribers per mechanism: pull costs a request per subscriber per interval, so it gets fewer. */
  subscribers: Record<MechanismId, number>;
  /** pushpull's own client per mechanism, a row of its own ("what the client costs"); 0: no row. */
  clientSubscribers: Record<MechanismId, number>;
  /** Also the baselines of the mechanisms it runs. */
  baselines: boolean;
  /** Also the peers (nchan, better-sse, bare socket.io) beside the mechanisms it runs. */
  peers: boolean;
  /** Also the queue on each broker and relay jobs/s (when it runs message-queue). */
  queues: boolean;
  /** Events published per second, open-loop (on a schedule, whatever the server does). */
  rate: number;
  payloadBytes: number;
  seconds: number;
  /**
   * After publishing: the longest wait for every expected delivery. It ends as soon as all have
   * arrived; what is still missing then is `late` (or `lost`, if a later event came).
   */
  drainSeconds: number;
  /** Forked load-generator processes the subscribers are spread over (all on the load core). */
  processes: number;
  pollIntervalMs: number;
  /** Relay jobs pushed through each queue driver as fast as they go, for jobs/s. */
  throughputJobs: number;
}

const push = (n: number, polling: number): Record<MechanismId, number> => ({
  polling,
  'long-polling': n,
  sse: n,
  streaming: n,
  websocket: n,
  'message-queue': n,
});

export const SCENARIOS: Record<string, Scenario> = {
  /** Seconds long: proves the harness works (run by `pnpm test`); its numbers mean nothing. */
  smoke: {
    name: 'smoke',
    subscribers: push(10, 5),
    clientSubscribers: push(3, 2),
    baselines: true,
    // The smoke checks each peer's setup instead (peer-check.ts): seconds, not rows.
    peers: false,
    queues: true,
    rate: 20,
    payloadBytes: 256,
    seconds: 2,
    drainSeconds: 10,
    processes: 1,
    pollIntervalMs: 500,
    throughputJobs: 50,
  },
  /** A few minutes on a 2-core machine. */
  standard: {
    name: 'standard',
    subscribers: push(1000, 100),
    clientSubscribers: push(200, 50),
    baselines: true,
    peers: true,
    queues: true,
    rate: 50,
    payloadBytes: 1024,
    seconds: 15,
    drainSeconds: 30,
    processes: 2,
    pollIntervalMs: 1000,
    throughputJobs: 2000,
  },
  /**
   * 10 000 lean subscribers per push mechanism at 1 event/s each (10 000 deliveries/s), and the
   * baselines under the same: does one API core hold them, with the load core to spare?
   */
  'push-10k': {
    name: 'push-10k',
    // Long polling is a request per subscriber per event: 10 000 of them a second is a trial of
    // its own (`--only=long-polling`), not part of a run that should take minutes.
    mechanisms: ['sse', 'streaming', 'websocket'],
    subscribers: push(10_000, 1000),
    clientSubscribers: push(0, 0),
    baselines: true,
    peers: true,
    queues: false,
    rate: 1,
    payloadBytes: 1024,
    seconds: 20,
    drainSeconds: 15,
    processes: 4,
    pollIntervalMs: 1000,
    throughputJobs: 0,
  },
};
