import { fetchJob } from '@pushpull/client';
import { API_URL } from './support/env';
import { expect, test } from './support/fixtures';

test.describe('Message queue (jobs and workers)', () => {
  test.beforeEach(async ({ jobsPage }) => {
    await jobsPage.open('message-queue', {});
  });

  test('a report job reports its progress up to 100 and shows its result', async ({ jobsPage }) => {
    const job = await jobsPage.submitJob('report', { Steps: '4', 'Step (ms)': '100' });
    await expect(job.state).toHaveText('completed');
    await expect(job.progress).toHaveJSProperty('value', 100);
    await expect(job.result).toContainText('"steps":4');
    await expect(job.eventsOfType('job.progress')).toHaveText([
      'job.progress 25%',
      'job.progress 50%',
      'job.progress 75%',
      'job.progress 100%',
    ]);
    // Done means its stream is closed: the browser's six connections per origin are precious.
    await expect(jobsPage.status).toHaveText('closed');
    await expect(jobsPage.wireLog).toContainText('POST /api/jobs (report)');
  });

  test('a flaky job is retried with growing delays, then completes', async ({ jobsPage }) => {
    const job = await jobsPage.submitJob('flaky', { Failures: '2' });
    await expect(job.state).toHaveText('completed');
    await expect(job.attempt).toHaveText('attempt 3');
    const retries = job.eventsOfType('job.retrying');
    await expect(retries).toHaveText([/retry 2 in \d+ ms/, /retry 3 in \d+ ms/]);
    const [first, second] = (await retries.allTextContents()).map((text) =>
      Number(/in (\d+) ms/.exec(text)?.[1]),
    );
    expect(second).toBeGreaterThan(first!);
    await expect(job.result).toContainText('"succeededOnAttempt":3');
  });

  test('a poison job ends in the dead letter with its error', async ({ jobsPage }) => {
    const job = await jobsPage.submitJob('poison');
    await expect(job.state).toHaveText('dead-lettered');
    await expect(job.error).toContainText('poison: this job always fails');
    await expect(job.eventsOfType('job.dead-lettered')).toHaveCount(1);
    await expect(job.result).toHaveCount(0);
  });

  test('going offline mid-job and back loses no job event', async ({ jobsPage }) => {
    const job = await jobsPage.submitJob('report', { Steps: '6', 'Step (ms)': '500' });
    await expect(job.state).toHaveText('running');
    await jobsPage.goOffline();

    // Wait until the worker has finished: everything it published meanwhile missed the page.
    const jobId = await job.jobId();
    await expect.poll(async () => (await fetchJob(API_URL, jobId)).state).toBe('completed');
    await expect(job.state).toHaveText('running');

    await jobsPage.goOnline();
    await expect(job.state).toHaveText('completed');
    await expect(job.progress).toHaveJSProperty('value', 100);
    await expect(job.eventsOfType('job.progress')).toHaveText(
      [17, 33, 50, 67, 83, 100].map((percent) => `job.progress ${percent}%`),
    );
    await expect(job.events).toHaveCount(9); // queued, started, 6 × progress, completed
    await expect(jobsPage.counter('duplicatesDropped')).toHaveText('0');
    await expect(jobsPage.counter('reconnects')).toHaveText('1');
  });

  test("a bad input shows the API's error and submits nothing", async ({ jobsPage }) => {
    await jobsPage.submit('report', { Steps: '50' });
    await expect(jobsPage.alert).toContainText('invalid_body');
    await expect(jobsPage.cards).toHaveCount(0);
  });
});

test.describe('Home page', () => {
  test('links to the message queue page', async ({ page }) => {
    await page.goto('/');
    await page.getByRole('link', { name: 'Message queue (jobs and workers)' }).click();
    await expect(page).toHaveURL(/\/message-queue$/);
    await expect(page.getByRole('button', { name: 'Submit job' })).toBeVisible();
  });
});
