import { expect, type Locator, type Page } from '@playwright/test';
import type { MechanismId } from '@pushpull/contracts';

type CounterKey =
  | 'requests'
  | 'bytesIn'
  | 'events'
  | 'duplicatesDropped'
  | 'reconnects'
  | 'resets'
  | 'replayed'
  | 'oldestReplayAgeMs'
  | 'latencyP50Ms'
  | 'latencyP95Ms';

/** A mechanism page as a user sees it: the same page object serves all six mechanisms. */
export class MechanismPage {
  constructor(readonly page: Page) {}

  async open(mechanism: MechanismId, query: Record<string, string>): Promise<void> {
    await this.page.goto(`/${mechanism}?${new URLSearchParams(query)}`);
  }

  get status(): Locator {
    return this.page.getByRole('status', { name: 'Connection status' });
  }

  get offlineToggle(): Locator {
    return this.page.getByRole('checkbox', { name: 'Offline' });
  }

  get feedItems(): Locator {
    return this.page.getByRole('list', { name: 'Live feed' }).locator('li[data-event-id]');
  }

  get feedNotes(): Locator {
    return this.page.getByRole('list', { name: 'Live feed' }).locator('li.feed-note');
  }

  get wireLog(): Locator {
    return this.page.getByRole('list', { name: 'Wire log' });
  }

  /** Scoped to <main>: Next.js adds its own (empty) route-announcer alert outside it. */
  get alert(): Locator {
    return this.page.getByRole('main').getByRole('alert');
  }

  counter(key: CounterKey): Locator {
    return this.page.getByTestId(`counter-${key}`);
  }

  async publish(message: string): Promise<void> {
    await this.page.getByLabel('Message').fill(message);
    await this.page.getByRole('button', { name: 'Publish' }).click();
    await expect(this.page.getByLabel('Message')).toHaveValue('');
  }

  async goOffline(): Promise<void> {
    await this.offlineToggle.check();
    await expect(this.status).toHaveText('offline');
  }

  async goOnline(): Promise<void> {
    await this.offlineToggle.uncheck();
  }
}
