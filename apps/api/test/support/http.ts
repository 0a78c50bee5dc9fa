import {
  ConnectionCountsSchema,
  type ChannelEvent,
  type ConnectionCounts,
} from '@pushpull/contracts';
import { expect } from 'vitest';

/** Publishes `{type:'n', data}` for each value; returns the stored events. */
export async function publishAll(
  baseUrl: string,
  channel: string,
  values: unknown[],
): Promise<ChannelEvent[]> {
  const events: ChannelEvent[] = [];
  for (const data of values) {
    const response = await fetch(`${baseUrl}/api/channels/${channel}/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'n', data }),
    });
    expect(response.status).toBe(201);
    events.push((await response.json()) as ChannelEvent);
  }
  return events;
}

export const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);

export async function connections(baseUrl: string): Promise<ConnectionCounts> {
  return ConnectionCountsSchema.parse(await (await fetch(`${baseUrl}/api/connections`)).json());
}

/** Waits for a condition that the server reaches on its own (a close noticed, a waiter freed). */
export async function eventually<T>(
  probe: () => Promise<T> | T,
  accept: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Reads a streaming response as text, chunk by chunk, until `done(text)` or the stream ends. */
export async function readUntil(
  response: Response,
  done: (text: string) => boolean,
): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!done(text)) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel().catch(() => undefined);
  return text;
}
