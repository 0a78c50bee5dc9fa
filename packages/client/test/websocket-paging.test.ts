import { startApi, type RunningApi } from '@pushpull/api/testing';
import { PageSchema, type ChannelEvent } from '@pushpull/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, publish } from '../src';
import { FAST, freshChannel, numbers, observe, publishNumbers, until } from './support';

// A socket.io `subscribe` ack carries one page of the backlog (at most 1000 events and
// SLOW_READER_MAX_BYTES of them); the client subscribes again from the ack's cursor while `more`.
let api: RunningApi;
beforeAll(async () => {
  api = await startApi({
    HISTORY_SIZE: '10000',
    SLOW_READER_MAX_BYTES: '65536',
    WRITE_RATE_PER_S: '0',
  });
});
afterAll(() => api.stop());

/** Everything the channel holds, in log order, read over polling. */
async function wholeLog(channel: string): Promise<ChannelEvent[]> {
  const events: ChannelEvent[] = [];
  for (let after = '', more = true; more;) {
    const url = `${api.url}/api/poll/${channel}?limit=1000${after && `&after=${after}`}`;
    const page = PageSchema.parse(await (await fetch(url)).json());
    events.push(...page.events);
    after = page.cursor;
    more = page.more === true;
  }
  return events;
}

describe('connect("websocket") over a paged backlog', () => {
  it('delivers a 5 000-event backlog and the live events between its pages once, in order', async () => {
    const channel = freshChannel();
    for (let n = 1; n <= 5000; n += 100)
      await Promise.all(
        numbers(n, n + 99).map((data) => publish(api.url, channel, { type: 'n', data })),
      );

    const subscription = connect('websocket', { baseUrl: api.url, channel, ...FAST });
    const seen = observe(subscription);
    const subscribes: string[] = [];
    subscription.on('wire', (entry) => {
      if (entry.summary.startsWith('ack:')) subscribes.push(entry.summary);
    });
    // Live events race the pages: published while the client is still paging through the backlog.
    await until(() => subscribes.length >= 1, 'the first page');
    await publishNumbers(api.url, channel, 5001, 5200);

    const all = await wholeLog(channel);
    expect(all).toHaveLength(5200);
    await until(() => seen.events.length >= 5200, 'every event');
    expect(seen.events.map((event) => event.id)).toEqual(all.map((event) => event.id));
    // Pages were cut (by the 64 KiB bound here) and the client asked again while `more`.
    expect(subscribes.length).toBeGreaterThan(5);
    expect(subscribes.filter((summary) => summary.endsWith(', more'))).toHaveLength(
      subscribes.length - 1,
    );
    expect(seen.errors).toEqual([]);
    subscription.close();
  }, 60_000); // 5 200 publishes over HTTP on a busy machine
});
