import { expect, type Locator, type Page } from '@playwright/test';
import { MECHANISM_IDS, type MechanismId } from '@pushpull/contracts';

/** One mechanism's pane on /compare: the same status and counters a mechanism page has. */
export class ComparePane {
  constructor(
    readonly mechanism: MechanismId,
    readonly root: Locator,
  ) {}

  get status(): Locator {
    return this.root.getByRole('status', { name: 'Connection status' });
  }

  /** Seq numbers received, oldest first (`#1`, `#2`, …). */
  get received(): Locator {
    return this.root.getByRole('list', { name: 'Received' }).getByRole('listitem');
  }

  counter(
    key: 'requests' | 'bytesIn' | 'events' | 'duplicatesDropped' | 'reconnects' | 'replayed',
  ): Locator {
    return this.root.getByTestId(`counter-${key}`);
  }
}

/** The /compare page: one publisher, one offline toggle, six panes and the charts. */
export class ComparePage {
  constructor(readonly page: Page) {}

  async open(query: Record<string, string>): Promise<void> {
    await this.page.goto(`/compare?${new URLSearchParams(query)}`);
  }

  /** Opens the page and waits until all six subscriptions are open; returns the six panes. */
  async openAllSix(query: Record<string, string>): Promise<ComparePane[]> {
    await this.open(query);
    const panes = MECHANISM_IDS.map((mechanism) => this.pane(mechanism));
    for (const pane of panes) await expect(pane.status).toHaveText('open');
    return panes;
  }

  pane(mechanism: MechanismId): ComparePane {
    return new ComparePane(mechanism, this.page.locator(`section[data-mechanism="${mechanism}"]`));
  }

  get offlineToggle(): Locator {
    return this.page.getByRole('checkbox', { name: 'Offline' });
  }

  chart(testId: 'chart-latency' | 'chart-requests' | 'chart-bytes'): Locator {
    return this.page.getByTestId(testId);
  }

  get sent(): Locator {
    return this.page.getByTestId('publisher-sent');
  }

  /** Resolves once the publisher is stopped and nothing it was asked to send is still waiting. */
  async publisherIdle(): Promise<void> {
    await expect(this.page.getByTestId('publisher-state')).toHaveAttribute('data-busy', 'false');
  }

  /** Clicks "Publish one" `times` times without waiting in between: the page sends them in order. */
  async publish(times: number): Promise<void> {
    const before = Number(await this.sent.textContent());
    for (let i = 0; i < times; i += 1)
      await this.page.getByRole('button', { name: 'Publish one' }).click();
    await expect(this.sent).toHaveText(String(before + times));
  }
}
