import { fetchHead } from '@pushpull/client';
import { API_URL } from './support/env';
import { expect, test } from './support/fixtures';
import { MechanismPage } from './support/mechanism-page';

// A short interval keeps the specs quick; the behaviour is the same at the default 1 s.
const INTERVAL = '250';

test.describe('HTTP pull (short polling)', () => {
  test('shows a message published from the page', async ({
    mechanismPage,
    testChannel: channel,
  }) => {
    await mechanismPage.open('polling', { channel, interval: INTERVAL });
    await expect(mechanismPage.status).toHaveText('open');
    await mechanismPage.publish('hello from the page');
    await expect(mechanismPage.feedItems).toHaveCount(1);
    await expect(mechanismPage.feedItems.first()).toContainText('hello from the page');
    await expect(mechanismPage.counter('events')).toHaveText('1');
  });

  test('resumes after offline: 20 events published meanwhile arrive once and in order', async ({
    mechanismPage,
    testChannel: channel,
    publishMessages,
  }) => {
    await mechanismPage.open('polling', { channel, interval: INTERVAL });
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
  });

  test("a second browser context sees the first one's publishes", async ({
    mechanismPage,
    testChannel: channel,
    browser,
  }) => {
    const otherContext = await browser.newContext();
    const other = new MechanismPage(await otherContext.newPage());
    try {
      await mechanismPage.open('polling', { channel, interval: INTERVAL });
      await other.open('polling', { channel, interval: INTERVAL });
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

  test('shows 304 Not Modified in the wire log while nothing changes', async ({
    mechanismPage,
    testChannel: channel,
  }) => {
    await mechanismPage.open('polling', { channel, interval: INTERVAL });
    await expect(
      mechanismPage.wireLog.getByText(/GET \/api\/poll\/.*\b304\b/).first(),
    ).toBeVisible();
    await expect(
      mechanismPage.wireLog.getByText(/GET \/api\/poll\/.*\b200\b/).first(),
    ).toBeVisible();
  });

  test("shows the API's error for a bad channel name", async ({ mechanismPage }) => {
    await mechanismPage.open('polling', { channel: 'BAD NAME', interval: INTERVAL });
    await expect(mechanismPage.status).toHaveText('failed');
    await expect(mechanismPage.alert).toContainText('invalid_channel');
  });

  test('reports a reset when its cursor is older than history, then continues', async ({
    mechanismPage,
    testChannel: channel,
    publishMessages,
  }) => {
    // The e2e API keeps 100 events a channel: 110 push the first 10 out of history.
    const texts = Array.from({ length: 110 }, (_, i) => `m${i + 1}`);
    await publishMessages(channel, texts.slice(0, 1));
    const { head } = await fetchHead(API_URL, channel);
    await publishMessages(channel, texts.slice(1));
    await mechanismPage.open('polling', { channel, interval: INTERVAL, after: head });
    await expect(mechanismPage.feedNotes.first()).toContainText(/reset/i);
    await expect(mechanismPage.counter('resets')).toHaveText('1');
    await expect(mechanismPage.feedItems).toHaveCount(100);
    await expect(mechanismPage.feedItems.first()).toContainText('m11');
  });
});
