import { DEFAULT_POLL_INTERVAL_MS } from '@pushpull/client';

/** What /compare takes from its URL: `?channel=compare&interval=1000`. */
export interface CompareParams {
  channel: string;
  /** The polling pane's wait between answered requests, in ms. */
  intervalMs: number;
}

export const DEFAULT_COMPARE_CHANNEL = 'compare';

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Reads the page's params; an invalid channel is passed on as is so the API's error shows. */
export function readCompareParams(
  searchParams: Record<string, string | string[] | undefined>,
): CompareParams {
  const interval = Number(first(searchParams.interval));
  return {
    channel: first(searchParams.channel) || DEFAULT_COMPARE_CHANNEL,
    intervalMs: Number.isInteger(interval) && interval > 0 ? interval : DEFAULT_POLL_INTERVAL_MS,
  };
}

/**
 * The message-queue pane follows its own channel: every event published on the compare channel is
 * also submitted as a `relay` job that publishes it here, so this channel shows what the queue adds.
 */
export function viaQueueChannel(channel: string): string {
  return `${channel}-via-queue`;
}
