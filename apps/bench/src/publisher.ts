import { publish, submitJob } from '@pushpull/client';
import type { MechanismId } from '@pushpull/contracts';

export interface PublishPlan {
  mechanism: MechanismId | 'raw-sse' | 'raw-ws';
  baseUrl: string;
  channel: string;
  rate: number;
  payloadBytes: number;
  seconds: number;
}

/**
 * Publishes open-loop: event i is due at start + i/rate and carries that intended time, so a
 * server that falls behind shows up as latency instead of quietly slowing the publisher down
 * (coordinated omission). The message queue publishes through a `relay` job instead.
 */
export async function publishOpenLoop(
  plan: PublishPlan,
): Promise<{ sent: number; failed: number }> {
  const total = Math.round(plan.rate * plan.seconds);
  const pad = 'x'.repeat(plan.payloadBytes);
  const start = Date.now() + 100;
  const inFlight: Array<Promise<unknown>> = [];
  let failed = 0;
  for (let seq = 0; seq < total; seq++) {
    const sentAt = start + (seq * 1000) / plan.rate;
    const wait = sentAt - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const body = { type: 'bench', data: { seq, sentAt, pad } };
    const sending =
      plan.mechanism === 'message-queue'
        ? submitJob(plan.baseUrl, 'relay', { channel: plan.channel, ...body })
        : plan.mechanism === 'raw-sse' || plan.mechanism === 'raw-ws'
          ? fetch(`${plan.baseUrl}/publish`, { method: 'POST', body: JSON.stringify(body) })
          : publish(plan.baseUrl, plan.channel, body);
    inFlight.push(sending.catch(() => (failed += 1)));
  }
  await Promise.all(inFlight);
  return { sent: total, failed };
}
