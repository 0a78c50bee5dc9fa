import { test as base } from '@playwright/test';
import { publish } from '@pushpull/client';
import { API_URL } from './env';
import { JobsPage } from './jobs-page';
import { MechanismPage } from './mechanism-page';
import { NotificationsPage } from './notifications-page';

interface Fixtures {
  /** A channel no other test uses, so tests never see each other's events. */
  testChannel: string;
  mechanismPage: MechanismPage;
  /** The /message-queue page. */
  jobsPage: JobsPage;
  /** The /notifications page (sign in with `signIn`). */
  notificationsPage: NotificationsPage;
  /** Publishes each text as a message straight to the API, as another publisher would. */
  publishMessages: (channel: string, texts: string[]) => Promise<void>;
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  testChannel: async ({}, use) => {
    await use(`e2e-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);
  },
  mechanismPage: async ({ page }, use) => {
    await use(new MechanismPage(page));
  },
  jobsPage: async ({ page }, use) => {
    await use(new JobsPage(page));
  },
  notificationsPage: async ({ page }, use) => {
    await use(new NotificationsPage(page));
  },
  // eslint-disable-next-line no-empty-pattern
  publishMessages: async ({}, use) => {
    await use(async (channel, texts) => {
      for (const text of texts)
        await publish(API_URL, channel, { type: 'message', data: { text } });
    });
  },
});

export { expect } from '@playwright/test';
