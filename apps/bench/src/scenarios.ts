import type { MechanismId } from '@pushpull/contracts';

export interface Scenario {
  name: string;
  /** Subscribers per mechanism: pull costs a request per subscriber per interval, so it gets fewer. */
  subscribers: Record<MechanismId, number>;
  /** Events published per second, open-loop (on a schedule, whatever the server does). */
  rate: number;
  payloadBytes: number;
  seconds: number;
  /** Forked load-generator processes the subscribers are spread over. */
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
    rate: 20,
    payloadBytes: 256,
    seconds: 2,
    processes: 1,
    pollIntervalMs: 500,
    throughputJobs: 50,
  },
  /** A few minutes on a 2-core machine. */
  standard: {
    name: 'standard',
    subscribers: push(1000, 100),
    rate: 50,
    payloadBytes: 1024,
    seconds: 15,
    processes: 2,
    pollIntervalMs: 1000,
    throughputJobs: 2000,
  },
};
