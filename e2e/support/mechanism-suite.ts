import { fetchHead } from '@pushpull/client';
import type { MechanismId } from '@pushpull/contracts';
import { API_URL } from './env';
import { expect, test } from './fixtures';
import { MechanismPage } from './mechanism-page';

/**
 * What every mechanism page must do, as a user sees it. Each `<mechanism>.spec.ts` runs this and
 * adds what only that mechanism shows. `query` carries page options (e.g. a short poll interval).
 */
export function behavesLikeAMechanismPage(
  mechanism: MechanismId,
  query: Record<string, string> = {},
): void {
  test('shows a message published from the page, and one published through the API', async ({
    mechanismPage,
    testChannel: channel,
    publishMessages,
  }) => {
    await mechanismPage.open(mechanism, { channel, ...query });
    await expect(mechanismPage.status).toHaveText('open');
    await mechanismPage.publish('hello from the page');
    await expect(mechanismPage.feedItems).toHaveCount(1);
    await expect(mechanismPage.feedItems.first()).toContainText('hello from the page');
    await publishMessages(channel, ['hello from the API']);
    await expect(mechanismPage.feedItems).toHaveCount(2);
    await expect(mechanismPage.feedItems.nth(1)).toContainText('hello from the API');
    await expect(mechanismPage.counter('events')).toHaveText('2');
  });

  test('resumes after offline: 20 events published meanwhile arrive once and in order', async ({
    mechanismPage,
    testChannel: channel,
    publishMessages,
  }) => {
    await mechanismPage.open(mechanism, { channel, ...query });
    await expect(mechanismPage.status).toHaveText('open');
    await mechanismPage.goOffline();

    const texts = Array.from({ length: 20 }, (_, i) => `offline message ${i + 1}`);
    await publishMessages(channel, texts);
    await expect(mechanismPage.feedItems).toHaveCount(0);

    await mechanismPage.goOnline();
    await expect(mechanismPage.status).toHaveText('open');
    await expect(mechanismPage.feedItems).toHaveCount(20);
    const shown = await mechanismPage.feedItems.allTextContents();
    texts.forEach((text, i) => expect(shown[i]).toContain(text));
    await expect(mechanismPage.counter('events')).toHaveText('20');
    await expect(mechanismPage.counter('duplicatesDropped')).toHaveText('0');
    await expect(mechanismPage.counter('reconnects')).toHaveText('1');
    await expect(mechanismPage.counter('replayed')).toHaveText('20'); // caught up, not live
  });

  test('counts the backlog it opened on as replayed, and only live events in its latency', async ({
    mechanismPage,
    testChannel: channel,
    publishMessages,
  }) => {
    await publishMessages(channel, ['backlog 1', 'backlog 2', 'backlog 3', 'backlog 4']);
    await mechanismPage.open(mechanism, { channel, ...query });
    await expect(mechanismPage.feedItems).toHaveCount(4);
    await expect(mechanismPage.counter('replayed')).toHaveText('4');
    await expect(mechanismPage.counter('oldestReplayAgeMs')).toHaveText(/^\d+\.\d$/);
    await expect(mechanismPage.counter('latencyP50Ms')).toHaveText('–');

    // The page's latency is this one event's: no more than the time the test saw it take.
    const publishedAfter = Date.now();
    await publishMessages(channel, ['live']);
    await expect(mechanismPage.feedItems).toHaveCount(5);
    await expect(mechanismPage.counter('latencyP50Ms')).toHaveText(/^\d+$/);
    const seenWithin = Date.now() - publishedAfter;
    expect(Number(await mechanismPage.counter('latencyP50Ms').textContent())).toBeLessThanOrEqual(
      seenWithin,
    );
    await expect(mechanismPage.counter('replayed')).toHaveText('4');
  });

  test("a second browser context sees the first one's publishes, and back", async ({
    mechanismPage,
    testChannel: channel,
    browser,
  }) => {
    const otherContext = await browser.newContext();
    const other = new MechanismPage(await otherContext.newPage());
    try {
      await mechanismPage.open(mechanism, { channel, ...query });
      await other.open(mechanism, { channel, ...query });
      await expect(mechanismPage.status).toHaveText('open');
      await expect(other.status).toHaveText('open');

      await mechanismPage.publish('from the first context');
      await expect(other.feedItems.first()).toContainText('from the first context');
      await other.publish('and back');
      await expect(mechanismPage.feedItems).toHaveCount(2);
      await expect(mechanismPage.feedItems.nth(1)).toContainText('and back');
    } finally {
      await otherContext.close();
    }
  });

  test('shows a reset for a cursor older than history, then continues live', async ({
    mechanismPage,
    testChannel: channel,
    publishMessages,
  }) => {
    // The e2e API keeps 100 events a channel: 110 push the first 10 out of history.
    const texts = Array.from({ length: 110 }, (_, i) => `m${i + 1}`);
    await publishMessages(channel, texts.slice(0, 1));
    const { head: staleCursor } = await fetchHead(API_URL, channel);
    await publishMessages(channel, texts.slice(1));

    await mechanismPage.open(mechanism, { channel, ...query, after: staleCursor });
    await expect(mechanismPage.feedNotes.first()).toContainText(/reset/i);
    await expect(mechanismPage.counter('resets')).toHaveText('1');
    await expect(mechanismPage.feedItems).toHaveCount(100);
    await expect(mechanismPage.feedItems.first()).toContainText('m11');

    await publishMessages(channel, ['after the reset']);
    await expect(mechanismPage.feedItems).toHaveCount(101);
    await expect(mechanismPage.feedItems.last()).toContainText('after the reset');
  });

  test("shows the API's error for a bad channel name", async ({ mechanismPage }) => {
    await mechanismPage.open(mechanism, { channel: 'BAD NAME', ...query });
    await expect(mechanismPage.status).toHaveText('failed');
    await expect(mechanismPage.alert).toContainText('invalid_channel');
  });
}
