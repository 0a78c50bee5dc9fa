import { ComparePage } from './support/compare-page';
import { expect, test } from './support/fixtures';

/** A pane lists the last 50 events it received (MAX_RECEIVED in apps/web/hooks/comparison-view.ts). */
const PANE_LIST_LENGTH = 50;

const seqs = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `#${from + i}`);

test.describe('Compare all six', () => {
  test('all six panes receive the same events in the same order, and resume after offline', async ({
    page,
    testChannel: channel,
  }) => {
    const compare = new ComparePage(page);
    const panes = await compare.openAllSix({ channel, interval: '250' });

    await compare.publish(3);
    for (const pane of panes) {
      await expect(pane.received).toHaveText(seqs(1, 3));
      await expect(pane.counter('events')).toHaveText('3');
      await expect(pane.counter('replayed')).toHaveText('0'); // subscribed from the head: all live
    }
    await expect(compare.pane('polling').counter('requests')).not.toHaveText(/^[01]$/);
    await expect(compare.chart('chart-latency').locator('canvas')).toBeVisible();
    await expect(compare.chart('chart-requests').locator('canvas')).toBeVisible();
    await expect(compare.chart('chart-bytes').locator('canvas')).toBeVisible();

    // Offline drops the six subscriptions only: the page goes on publishing.
    await compare.offlineToggle.check();
    for (const pane of panes) await expect(pane.status).toHaveText('offline');
    await compare.publish(2);
    await compare.offlineToggle.uncheck();
    for (const pane of panes) {
      await expect(pane.received).toHaveText(seqs(1, 5));
      await expect(pane.counter('events')).toHaveText('5');
      await expect(pane.counter('duplicatesDropped')).toHaveText('0');
    }
    // The two published while offline were caught up: the same rule as the mechanism pages. (The
    // queue pane's relay jobs may publish after the resume, so only the direct panes are certain.)
    for (const pane of panes.filter(({ mechanism }) => mechanism !== 'message-queue'))
      await expect(pane.counter('replayed')).toHaveText('2');
  });

  test('a burst at a steady rate reaches every pane in order', async ({
    page,
    testChannel: channel,
  }) => {
    const compare = new ComparePage(page);
    const panes = await compare.openAllSix({ channel, interval: '250' });

    await page.getByLabel('Rate (events/s)').fill('20');
    await page.getByLabel('Payload (bytes)').fill('2000');
    await page.getByRole('button', { name: 'Start' }).click();
    await expect.poll(async () => Number(await compare.sent.textContent())).toBeGreaterThan(10);
    await page.getByRole('button', { name: 'Stop' }).click();
    await compare.publisherIdle();

    const sent = Number(await compare.sent.textContent());
    for (const pane of panes) {
      // Every event once (the count), in order (the list: a pane shows its last 50).
      await expect(pane.counter('events')).toHaveText(String(sent));
      await expect(pane.received).toHaveText(seqs(Math.max(1, sent - PANE_LIST_LENGTH + 1), sent));
      await expect(pane.counter('duplicatesDropped')).toHaveText('0');
    }
    // 2000-byte payloads: every pane received at least that much per event.
    const bytes = Number(await compare.pane('sse').counter('bytesIn').textContent());
    expect(bytes).toBeGreaterThan(sent * 2000);
  });
});

test.describe('Home page', () => {
  test('links to the comparison', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('link', { name: 'All six, side by side' }).click();
    await expect(page).toHaveURL(/\/compare$/);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('All six, side by side');
  });
});
