import { publish, submitJob } from '@pushpull/client';

/**
 * Where events are published: pushpull's publish route, a `relay` job through the API's queue (the
 * message-queue rows), or a plain POST of `{ type, data }` to a URL (a baseline's or a peer's
 * publish endpoint: whatever it sends on must contain `data`'s `"seq":…,"sentAt":…` as text).
 */
export type PublishTarget =
  | { via: 'api'; baseUrl: string; channel: string }
  | { via: 'job'; baseUrl: string; channel: string }
  | { via: 'post'; url: string };

export interface PublishPlan {
  target: PublishTarget;
  rate: number;
  payloadBytes: number;
  seconds: number;
  /**
   * The first sequence number sent (0 unless a later window on the same subscribers): the events
   * carry `firstSeq + i`; what this returns (`sent`, `failedSeqs`, `storedBefore`) counts from 0.
   */
  firstSeq?: number;
}

function send(
  target: PublishTarget,
  body: { type: string; data: { seq: number; sentAt: number; pad: string } },
): Promise<unknown> {
  if (target.via === 'job')
    return submitJob(target.baseUrl, 'relay', { channel: target.channel, ...body });
  if (target.via === 'api') return publish(target.baseUrl, target.channel, body);
  const headers = { 'Content-Type': 'application/json' };
  return fetch(target.url, { method: 'POST', headers, body: JSON.stringify(body) }).then(
    async (response) => {
      await response.arrayBuffer(); // read to the end, so the connection is reused
      if (!response.ok) throw new Error(`publish answered ${response.status}`);
    },
  );
}

export interface Published {
  sent: number;
  failedSeqs: number[];
  /**
   * Per sequence number, the first one whose publish went out after this one's was answered: the
   * server had stored this event before it took that one, so a subscriber that got that one (or
   * any later) and not this has a hole. Concurrent publishes may be stored in either order, so
   * seq order alone would call an event still in flight lost. `sent` where no such publish
   * exists, and for a job (its event is stored when a worker runs it, not when it is submitted).
   */
  storedBefore: number[];
}

/**
 * Publishes open-loop: event i is due at start + i/rate and carries that intended time, so a
 * server that falls behind shows up as latency instead of quietly slowing the publisher down
 * (coordinated omission).
 */
export async function publishOpenLoop(plan: PublishPlan): Promise<Published> {
  const total = Math.round(plan.rate * plan.seconds);
  const pad = 'x'.repeat(plan.payloadBytes);
  const start = Date.now() + 100;
  const inFlight: Array<Promise<unknown>> = [];
  const failedSeqs: number[] = [];
  const startedAt: number[] = [];
  const answeredAt: number[] = [];
  for (let seq = 0; seq < total; seq++) {
    const sentAt = start + (seq * 1000) / plan.rate;
    const wait = sentAt - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    // `seq` and `sentAt` first: lean subscribers find them by text, before the padding.
    const body = { type: 'bench', data: { seq: (plan.firstSeq ?? 0) + seq, sentAt, pad } };
    startedAt[seq] = performance.now();
    inFlight.push(
      send(plan.target, body).then(
        () => (answeredAt[seq] = performance.now()),
        () => failedSeqs.push(seq),
      ),
    );
  }
  await Promise.all(inFlight);
  return { sent: total, failedSeqs, storedBefore: storedBefore(startedAt, answeredAt, plan) };
}

function storedBefore(startedAt: number[], answeredAt: number[], plan: PublishPlan): number[] {
  const total = startedAt.length;
  return startedAt.map((_, seq) => {
    const answered = answeredAt[seq];
    if (plan.target.via === 'job' || answered === undefined) return total;
    // startedAt only grows with seq: the first publish started after the answer, by bisection.
    let low = seq + 1;
    let high = total;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (startedAt[mid]! > answered) high = mid;
      else low = mid + 1;
    }
    return low;
  });
}
