// Baseline: bare Fastify serving pushpull's pull wire (publish, poll with ETag/304, long poll) from
// an in-memory array — no Nest, no validation, no CORS, no metrics: the request-cost floor.
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';

interface StoredEvent {
  id: string;
  channel: string;
  type: string;
  data: unknown;
  ts: number;
}

type Params = { channel: string };
type PageQuery = { after?: string; limit?: string; wait?: string };

const logs = new Map<string, StoredEvent[]>();
const waiters = new Map<string, Set<() => void>>();
const logOf = (channel: string) => logs.get(channel) ?? logs.set(channel, []).get(channel)!;

/** Ids are 1, 2, 3… per channel, so the cursor `after=n` is also the index to read from. */
function page(channel: string, query: PageQuery) {
  const log = logOf(channel);
  const after = Number(query.after ?? 0) || 0;
  const limit = Math.min(Number(query.limit ?? 100) || 100, 1000);
  const events = log.slice(after, after + limit);
  return {
    events,
    cursor: events.at(-1)?.id ?? String(after),
    ...(after + limit < log.length ? { more: true } : {}),
  };
}

const app = Fastify({ logger: false });

app.post<{ Params: Params; Body: { type: string; data: unknown } }>(
  '/api/channels/:channel/events',
  async (request, reply) => {
    const { channel } = request.params;
    const log = logOf(channel);
    const event = { id: String(log.length + 1), channel, ...request.body, ts: Date.now() };
    log.push(event);
    for (const wake of waiters.get(channel) ?? []) wake();
    waiters.delete(channel);
    return reply.status(201).send(event);
  },
);

// The same strong ETag as the API (a hash of the exact bytes), so both pay for hashing.
app.get<{ Params: Params; Querystring: PageQuery }>(
  '/api/poll/:channel',
  async (request, reply) => {
    const body = JSON.stringify(page(request.params.channel, request.query));
    const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
    void reply.header('ETag', etag).header('Cache-Control', 'private, no-cache');
    if (request.headers['if-none-match'] === etag) return reply.status(304).send();
    return reply.type('application/json; charset=utf-8').send(body);
  },
);

app.get<{ Params: Params; Querystring: PageQuery }>(
  '/api/long-poll/:channel',
  async (request, reply) => {
    const { channel } = request.params;
    const now = page(channel, request.query);
    if (now.events.length > 0) return reply.type('application/json; charset=utf-8').send(now);

    // Hold the request until the next publish on the channel, `wait` seconds, or the client leaves.
    const waitMs = Math.min(Number(request.query.wait ?? 25) || 0, 30) * 1000;
    const woken = await new Promise<boolean>((resolve) => {
      const wake = () => finish(true);
      const timer = setTimeout(() => finish(false), waitMs);
      const finish = (event: boolean) => {
        clearTimeout(timer);
        waiters.get(channel)?.delete(wake);
        resolve(event);
      };
      const set = waiters.get(channel) ?? waiters.set(channel, new Set()).get(channel)!;
      set.add(wake);
      reply.raw.on('close', () => finish(false));
    });
    if (!woken) return reply.status(204).send();
    return reply.type('application/json; charset=utf-8').send(page(channel, request.query));
  },
);

void app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' }).then(() => {
  console.error(`listening on ${(app.server.address() as AddressInfo).port}`);
});
