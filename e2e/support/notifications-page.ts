import { expect, type Locator, type Page } from '@playwright/test';

/** /notifications as a user sees it: sign in as a demo user, read the inbox, send, peek. */
export class NotificationsPage {
  constructor(readonly page: Page) {}

  /**
   * Opens the page, signs in as `user` (the demo's stand-in for a login form) and waits until the
   * inbox is connected — which also means the page's scripts run, so its forms are live.
   */
  async signIn(user: string, query: Record<string, string>): Promise<void> {
    await this.page.goto(`/notifications?${new URLSearchParams(query)}`);
    await this.page.getByLabel('Demo user').selectOption(user);
    await this.page.getByRole('button', { name: /^(Sign in|Switch user)$/ }).click();
    await expect(this.status).toHaveText('open');
  }

  private region(name: string): Locator {
    return this.page.getByRole('region', { name, exact: true });
  }

  get inbox(): Locator {
    return this.region('Inbox');
  }

  get status(): Locator {
    return this.region('Connection').getByRole('status', { name: 'Connection status' });
  }

  get notifications(): Locator {
    return this.inbox.getByRole('list', { name: 'Notifications' }).getByRole('listitem');
  }

  /** The bell: its accessible name says how many are unread. */
  get bell(): Locator {
    return this.inbox.getByRole('button', { name: /unread notification/ });
  }

  get wireLog(): Locator {
    return this.region('Wire log').getByRole('list', { name: 'Wire log' });
  }

  counter(key: 'events' | 'duplicatesDropped' | 'reconnects'): Locator {
    return this.page.getByTestId(`counter-${key}`);
  }

  /** Sends through the web server, and waits until it has been published (the box clears). */
  async send(to: string, text: string): Promise<void> {
    const form = this.region('Send a notification');
    await form.getByLabel('To').selectOption(to);
    await form.getByLabel('Message').fill(text);
    await form.getByRole('button', { name: 'Send' }).click();
    await expect(form.getByLabel('Message')).toHaveValue('');
  }

  /** The panel that tries someone else's channel with this user's own token. */
  get otherChannel(): Locator {
    return this.region("Someone else's channel");
  }

  async openChannelOf(user: string): Promise<void> {
    await this.otherChannel.getByLabel('User').selectOption(user);
    await this.otherChannel.getByRole('button', { name: 'Open their channel' }).click();
  }
}
