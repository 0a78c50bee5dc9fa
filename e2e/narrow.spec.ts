import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';

// A common phone's viewport (iPhone 12 to 15): every page must fit it without scrolling sideways.
const PHONE = { width: 390, height: 844 };

const PAGES_WITH_CHANNEL_FORM = [
  '/polling',
  '/long-polling',
  '/sse',
  '/streaming',
  '/websocket',
  '/compare',
];
const PAGES = ['/', ...PAGES_WITH_CHANNEL_FORM, '/message-queue', '/notifications'];

test.describe('On a 390 px wide phone', () => {
  test.use({ viewport: PHONE });

  for (const path of PAGES) {
    test(`${path} fits the width: nothing runs off the side`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      expect(await overflowPx(page)).toBe(0);
    });
  }

  test('/notifications fits the width signed in, with a refusal shown', async ({
    notificationsPage,
  }) => {
    await notificationsPage.signIn('alice', {});
    await notificationsPage.send('alice', 'a notification long enough to wrap on a phone screen');
    await notificationsPage.openChannelOf('bob');
    await expect(notificationsPage.otherChannel.getByRole('alert')).toBeVisible();
    expect(await overflowPx(notificationsPage.page)).toBe(0);
  });

  for (const path of PAGES_WITH_CHANNEL_FORM) {
    test(`${path} shows the whole channel form, Switch button included`, async ({ page }) => {
      await page.goto(path);
      await expect(page.getByRole('textbox', { name: 'Channel' })).toBeInViewport({ ratio: 1 });
      await expect(page.getByRole('button', { name: 'Switch' })).toBeInViewport({ ratio: 1 });
    });
  }
});

/** How far the page runs off the right edge of the viewport, in CSS pixels. */
function overflowPx(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}
