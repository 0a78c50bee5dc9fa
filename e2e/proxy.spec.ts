import { publish } from '@pushpull/client';
import type { MechanismId } from '@pushpull/contracts';
import { request } from 'node:http';
import { startCluster, type Cluster } from './support/cluster';
import { expect, test } from './support/fixtures';
import { MechanismPage } from './support/mechanism-page';

// The cluster behind nginx (deploy/nginx/pushpull.conf), one origin for pages and API, as
// deployed: every mechanism works through it, streams are not held back in its buffers, and the
// API counts writes against the client's address nginx forwards, not against nginx's own.
test.describe.configure({ mode: 'serial' });

/** Each API instance lets one address write this many times (no refill to speak of). */
const WRITE_BURST = 20;

let cluster: Cluster;
let proxy: string;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  cluster = await startCluster({
    proxy: true,
    env: {
      // A heartbeat never comes within a test: what a stream shows arrived because nginx passed it on.
      HEARTBEAT_MS: '60000',
      WRITE_BURST: String(WRITE_BURST),
      WRITE_RATE_PER_S: '0.001',
    },
  });
  proxy = cluster.proxy!;
});
test.afterAll(async () => {
  await cluster?.stop();
});

async function publishVia(origin: string, channel: string, texts: string[]): Promise<void> {
  for (const text of texts) await publish(origin, channel, { type: 'message', data: { text } });
}

const PAGES: { mechanism: MechanismId; query?: Record<string, string> }[] = [
  { mechanism: 'polling', query: { interval: '250' } },
  { mechanism: 'long-polling' },
  { mechanism: 'sse' },
  { mechanism: 'streaming' },
  { mechanism: 'websocket' },
  { mechanism: 'websocket', query: { transport: 'polling' } },
];

for (const { mechanism, query } of PAGES) {
  test(`${mechanism}${query?.transport ? ` (${query.transport})` : ''}: a page at the proxy shows what is published through it`, async ({
    page,
    testChannel: channel,
  }) => {
    const view = new MechanismPage(page);
    await page.goto(`${proxy}/${mechanism}?${new URLSearchParams({ channel, ...query })}`);
    await expect(view.status).toHaveText(/^open/);

    const texts = ['through nginx 1', 'through nginx 2'];
    await publishVia(proxy, channel, texts);
    await expect(view.feedItems).toHaveCount(texts.length);
    const shown = await view.feedItems.allTextContents();
    texts.forEach((text, i) => expect(shown[i]).toContain(text));
    await expect(view.counter('resets')).toHaveText('0');
  });
}

for (const { route, heartbeat } of [
  { route: 'sse', heartbeat: ': ping' },
  { route: 'stream', heartbeat: '"heartbeat"' },
]) {
  test(`/api/${route}/: an event reaches an open stream through nginx before any heartbeat`, async ({
    testChannel: channel,
  }) => {
    const response = await fetch(`${proxy}/api/${route}/${channel}`);
    expect(response.status).toBe(200);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    await publishVia(proxy, channel, ['not buffered']);
    let received = '';
    while (!received.includes('not buffered')) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before the event:\n${received}`);
      received += value;
    }
    // HEARTBEAT_MS is a minute: the event came first because nothing held it back.
    expect(received).not.toContain(heartbeat);
    await reader.cancel();
  });
}

/** A publish from a given loopback address: the proxy sees that address as the client's. */
function publishFrom(
  localAddress: string,
  channel: string,
  headers: Record<string, string> = {},
): Promise<number> {
  const { hostname, port } = new URL(proxy);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname === 'localhost' ? '127.0.0.1' : hostname,
        port,
        localAddress,
        method: 'POST',
        path: `/api/channels/${channel}/events`,
        headers: { 'content-type': 'application/json', ...headers },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode!));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ type: 'message', data: { text: 'who am I' } }));
  });
}

test('the API counts writes per forwarded client address, not per proxy', async ({
  testChannel: channel,
}) => {
  // nginx reaches the APIs from 127.0.0.1 whoever the client is; this client writes from
  // 127.0.0.5, so only X-Forwarded-For tells the two apart. Both instances' buckets for it run dry.
  const statuses: number[] = [];
  for (let i = 0; i < 2 * WRITE_BURST + 2; i++)
    statuses.push(await publishFrom('127.0.0.5', channel));
  expect(statuses).toContain(429);
  // A made-up X-Forwarded-For does not escape the limit: the API trusts one hop, nginx's.
  expect(await publishFrom('127.0.0.5', channel, { 'x-forwarded-for': '10.9.9.9' })).toBe(429);
  // Another client, behind the same proxy, has a bucket of its own.
  expect(await publishFrom('127.0.0.6', channel)).toBe(201);
});
