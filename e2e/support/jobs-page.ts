import { expect, type Locator, type Page } from '@playwright/test';
import type { JobType } from '@pushpull/contracts';
import { MechanismPage } from './mechanism-page';

/** The fields the job form shows for each type, by label. */
export type JobFields = Partial<
  Record<'Steps' | 'Step (ms)' | 'Failures' | 'Channel' | 'Text', string>
>;

/** One job card: a job as the /message-queue page shows it. */
export class JobCard {
  constructor(readonly root: Locator) {}

  get state(): Locator {
    return this.root.getByTestId('job-state');
  }

  get progress(): Locator {
    return this.root.getByRole('progressbar', { name: 'Progress' });
  }

  get attempt(): Locator {
    return this.root.getByTestId('job-attempt');
  }

  get result(): Locator {
    return this.root.getByTestId('job-result');
  }

  get error(): Locator {
    return this.root.getByTestId('job-error');
  }

  get events(): Locator {
    return this.root.getByRole('list', { name: 'Job events' }).getByRole('listitem');
  }

  eventsOfType(type: string): Locator {
    return this.root
      .getByRole('list', { name: 'Job events' })
      .locator(`li[data-event-type="${type}"]`);
  }

  async jobId(): Promise<string> {
    const id = await this.root.getAttribute('data-job-id');
    if (!id) throw new Error('job card without data-job-id');
    return id;
  }
}

/**
 * The /message-queue page (`open('message-queue', {})`): the connection, counters, offline toggle
 * and wire log every mechanism page has, plus the job form and one card per job, newest first.
 */
export class JobsPage extends MechanismPage {
  constructor(page: Page) {
    super(page);
  }

  get cards(): Locator {
    return this.page.getByTestId('job-card');
  }

  /** The most recent job. */
  get latest(): JobCard {
    return new JobCard(this.cards.first());
  }

  /** Fills the form for `type` and submits it; does not wait for the job (it may be refused). */
  async submit(type: JobType, fields: JobFields = {}): Promise<void> {
    await this.page.getByLabel('Job type').selectOption(type);
    for (const [label, value] of Object.entries(fields))
      await this.page.getByLabel(label, { exact: true }).fill(value);
    await this.page.getByRole('button', { name: 'Submit job' }).click();
  }

  /** Submits a job and waits for its card: the job was accepted (202). */
  async submitJob(type: JobType, fields: JobFields = {}): Promise<JobCard> {
    const before = await this.cards.count();
    await this.submit(type, fields);
    await expect(this.cards).toHaveCount(before + 1);
    return this.latest;
  }
}
