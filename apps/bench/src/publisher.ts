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

/**
 * Publishes open-loop: event i is due at start + i/rate and carries that intended time, so a
 * server that falls behind shows up as latency instead of quietly slowing the publisher down
 * (coordinated omission). Resolves with every sequence number whose publish failed.
 */
export async function publishOpenLoop(
  plan: PublishPlan,
): Promise<{ sent: number; failedSeqs: number[] }> {
  const total = Math.round(plan.rate * plan.seconds);
  const pad = 'x'.repeat(plan.payloadBytes);
  const start = Date.now() + 100;
  const inFlight: Array<Promise<unknown>> = [];
  const failedSeqs: number[] = [];
  for (let seq = 0; seq < total; seq++) {
    const sentAt = start + (seq * 1000) / plan.rate;
    const wait = sentAt - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    // `seq` and `sentAt` first: lean subscribers find them by text, before the padding.
    const body = { type: 'bench', data: { seq, sentAt, pad } };
    inFlight.push(send(plan.target, body).catch(() => failedSeqs.push(seq)));
  }
  await Promise.all(inFlight);
  return { sent: total, failedSeqs };
}
