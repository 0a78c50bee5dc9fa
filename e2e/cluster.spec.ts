import { publish } from '@pushpull/client';
import type { MechanismId } from '@pushpull/contracts';
import { startCluster, type Cluster } from './support/cluster';
import { expect, test } from './support/fixtures';
import { JobsPage } from './support/jobs-page';
import { MechanismPage } from './support/mechanism-page';

// Scale-out as a user sees it: two API instances on the Redis backplane, and pages of a web app
// that lists both. A page on instance A shows what is published on instance B, once and in
// order; when A is killed, the page's client fails over to B and resumes from its last id.
test.describe.configure({ mode: 'serial' });

let cluster: Cluster;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  cluster = await startCluster();
});
test.afterAll(async () => {
  await cluster?.stop();
});

const CHANNEL_MECHANISMS: MechanismId[] = [
  'polling',
  'long-polling',
  'sse',
  'streaming',
  'websocket',
];
const messages = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `cluster message ${from + i}`);

async function publishVia(origin: string, channel: string, texts: string[]): Promise<void> {
  for (const text of texts) await publish(origin, channel, { type: 'message', data: { text } });
}

async function expectFeed(page: MechanismPage, texts: string[]): Promise<void> {
  await expect(page.feedItems).toHaveCount(texts.length);
  const shown = await page.feedItems.allTextContents();
  texts.forEach((text, i) => expect(shown[i]).toContain(text));
}

for (const mechanism of CHANNEL_MECHANISMS) {
  test(`${mechanism}: a page on A shows what B publishes, and fails over to B when A dies`, async ({
    page,
    testChannel: channel,
  }) => {
    const view = new MechanismPage(page);
    const query = new URLSearchParams({
      channel,
      api: cluster.a.origin,
      ...(mechanism === 'polling' && { interval: '250' }),
    });
    await page.goto(`${cluster.web}/${mechanism}?${query}`);
    await expect(page.getByLabel('API instance')).toHaveValue(cluster.a.origin);
    await expect(view.status).toHaveText('open');

    await publishVia(cluster.b.origin, channel, messages(1, 5));
    await expectFeed(view, messages(1, 5));

    await cluster.a.kill();
    await publishVia(cluster.b.origin, channel, messages(6, 10));
    // Each once, in order, as the user sees it (a repeat the server may send is dropped by id).
    await expectFeed(view, messages(1, 10));
    await expect(view.wireLog).toContainText(`failing over to ${cluster.b.origin}`);
    await expect(view.status).toHaveText('open');
    await expect(view.counter('resets')).toHaveText('0');

    await cluster.a.restart();
  });
}

test('message-queue: a page on A follows a job whose events B appends, through A dying', async ({
  page,
}) => {
  const jobs = new JobsPage(page);
  await page.goto(`${cluster.web}/message-queue?${new URLSearchParams({ api: cluster.a.origin })}`);
  const job = await jobs.submitJob('report', { Steps: '10', 'Step (ms)': '300' });
  await expect(job.eventsOfType('job.progress').first()).toBeVisible();

  await cluster.a.kill();
  await expect(job.state).toHaveText('completed');
  await expect(jobs.wireLog).toContainText(`failing over to ${cluster.b.origin}`);
  await expect(job.eventsOfType('job.started')).toHaveCount(1);
  await expect(job.eventsOfType('job.progress')).toHaveText(
    Array.from({ length: 10 }, (_, i) => `job.progress ${(i + 1) * 10}%`),
  );
  await expect(job.eventsOfType('job.completed')).toHaveCount(1);

  await cluster.a.restart();
});
