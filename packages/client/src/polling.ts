// HTTP pull (short polling): ask for the page after the cursor, wait, ask again.
// Each request carries the previous page's ETag, so an unchanged channel costs a bodiless 304.
import { PageSchema, paths, withQuery } from '@pushpull/contracts';
import { BaseSubscription, type TransportContext } from './base-subscription';
import { ClientError } from './errors';
import { authHeaders, request } from './http';
import { parseContract } from './parse';
import { sleep } from './sleep';
import type { ConnectOptions } from './types';

export const DEFAULT_POLL_INTERVAL_MS = 1000;

export class PollingSubscription extends BaseSubscription {
  constructor(options: ConnectOptions) {
    super('polling', options);
  }

  protected async run(context: TransportContext): Promise<void> {
    const interval = this.options.intervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    // An ETag belongs to one URL; once the cursor moves, the old one says nothing.
    let validator: { url: string; etag: string } | undefined;

    while (!context.signal.aborted) {
      const url = this.baseUrl + withQuery(paths.poll(this.channel), { after: this.cursor });
      const headers: Record<string, string> = { ...authHeaders(this.token) };
      if (validator?.url === url) headers['If-None-Match'] = validator.etag;

      const answer = await request(
        this.fetch,
        url,
        { headers, signal: context.signal, cache: 'no-store' },
        context.wire,
      );
      context.countRequest();
      context.countBytes(answer.bytes);
      if (answer.status !== 304 && answer.status !== 200)
        throw ClientError.fromResponse(answer.status, answer.text);
      context.opened();

      let more = false;
      if (answer.status === 200) {
        const page = parseContract(PageSchema, answer.text, 'page');
        const etag = answer.headers.get('ETag');
        validator = etag ? { url, etag } : undefined;
        if (page.reset) context.reset(page.cursor);
        context.deliver(page.events);
        context.advance(page.cursor);
        more = page.more === true;
      }
      // A page cut by `limit` means more is waiting: ask again at once.
      if (!more) await sleep(interval, context.signal);
    }
  }
}
