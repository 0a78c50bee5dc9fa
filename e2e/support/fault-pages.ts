import { expect, type Browser, type BrowserContext } from '@playwright/test';
import type { MechanismId } from '@pushpull/contracts';
import { JobsPage } from './jobs-page';
import { MechanismPage } from './mechanism-page';

/** The five mechanisms that follow a channel; the sixth, message-queue, follows jobs. */
export const CHANNEL_MECHANISMS = [
  'polling',
  'long-polling',
  'sse',
  'streaming',
  'websocket',
] as const satisfies readonly MechanismId[];

/** How a reset note stands in a feed read by `feedSequence`. */
export const RESET = '(reset)';

/** One page per mechanism, each in a browser context of its own. */
export interface OpenPages {
  channelPages: Array<{ mechanism: MechanismId; view: MechanismPage }>;
  close(): Promise<void>;
}

/**
 * Opens a page per channel mechanism on `channel` at `origin` and waits until each shows `open`.
 * Each has its own browser context: Chromium allows six HTTP/1.1 connections per origin and
 * profile, and the held ones (a long poll, an EventSource, a stream) would otherwise queue behind
 * each other.
 */
export async function openChannelPages(
  browser: Browser,
  origin: string,
  channel: string,
): Promise<OpenPages> {
  const contexts: BrowserContext[] = [];
  const channelPages: OpenPages['channelPages'] = [];
  for (const mechanism of CHANNEL_MECHANISMS) {
    const context = await browser.newContext({ baseURL: origin });
    contexts.push(context);
    const view = new MechanismPage(await context.newPage());
    // Polling: a short interval, so the page keeps up with a publisher every 150 ms.
    await view.open(mechanism, { channel, ...(mechanism === 'polling' && { interval: '200' }) });
    channelPages.push({ mechanism, view });
  }
  for (const { view } of channelPages) await expect(view.status).toHaveText('open');
  return {
    channelPages,
    close: async () => {
      await Promise.all(contexts.map((context) => context.close()));
    },
  };
}

/** The /message-queue page at `origin`, in a context of its own (its jobs hold EventSources). */
export async function openJobsPage(
  browser: Browser,
  origin: string,
): Promise<{ jobs: JobsPage; close(): Promise<void> }> {
  const context = await browser.newContext({ baseURL: origin });
  const jobs = new JobsPage(await context.newPage());
  await jobs.open('message-queue', {});
  return { jobs, close: () => context.close() };
}

/** The feed as ids, oldest first, with `RESET` where the page noted a history reset. */
export function feedSequence(view: MechanismPage): Promise<string[]> {
  return view.page
    .getByRole('list', { name: 'Live feed' })
    .locator('li')
    .evaluateAll(
      (items, reset) => items.map((item) => item.getAttribute('data-event-id') ?? reset),
      RESET,
    );
}

export const COUNTERS = [
  'events',
  'reconnects',
  'replayed',
  'resets',
  'duplicatesDropped',
] as const;
export type CounterReading = Record<(typeof COUNTERS)[number], number>;

/** What the page's counters show now, as numbers. */
export async function readCounters(view: MechanismPage): Promise<CounterReading> {
  const entries = await Promise.all(
    COUNTERS.map(async (key) => [key, Number(await view.counter(key).textContent())] as const),
  );
  return Object.fromEntries(entries) as CounterReading;
}
