// Streaming over HTTP: one fetch whose body never ends, read chunk by chunk and split into
// NDJSON frames. On any end or error, the supervisor reconnects with ?after=<last id>.
import { ERROR_STATUS, paths, withQuery } from '@pushpull/contracts';
import { BaseSubscription, type TransportContext } from './base-subscription';
import { ClientError } from './errors';
import { authHeaders } from './http';
import { LineSplitter, parseFrame } from './ndjson';
import type { ConnectOptions } from './types';

const encoder = new TextEncoder();

export class StreamingSubscription extends BaseSubscription {
  constructor(options: ConnectOptions) {
    super('streaming', options);
  }

  protected async run(context: TransportContext): Promise<void> {
    const url = this.baseUrl + withQuery(paths.stream(this.channel), { after: this.cursor });
    const summary = `GET ${new URL(url).pathname}${new URL(url).search}`;
    const started = Date.now();
    const response = await this.fetch(url, {
      headers: authHeaders(this.token),
      signal: context.signal,
      cache: 'no-store',
    });
    context.wire({ direction: 'out', summary, status: response.status, ms: Date.now() - started });
    context.countRequest();
    if (!response.ok || !response.body)
      throw ClientError.fromResponse(response.status, await response.text());
    context.opened();

    const splitter = new LineSplitter();
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const line of splitter.push(value)) this.handle(line, context);
      }
      for (const line of splitter.flush()) this.handle(line, context);
    } finally {
      // A line that did not parse ends this run: let go of the response instead of leaving it open.
      void reader.cancel().catch(() => undefined);
    }
  }

  private handle(line: string, context: TransportContext): void {
    const bytes = encoder.encode(line).byteLength + 1;
    context.countBytes(bytes);
    const frame = parseFrame(line);
    switch (frame.kind) {
      case 'event':
        context.wire({ direction: 'in', summary: `event ${frame.event.id}`, bytes });
        context.deliver([frame.event]);
        break;
      case 'heartbeat':
        context.wire({ direction: 'in', summary: 'heartbeat', bytes });
        break;
      case 'reset':
        context.reset(frame.cursor);
        break;
      case 'closing':
        context.wire({
          direction: 'in',
          summary: `closing: ${frame.code} (${frame.reason})`,
          bytes,
        });
        // Not a drop to back off from: the supervisor renews the token and resumes at once.
        if (frame.code === 'token_expired')
          throw new ClientError('token_expired', frame.reason, ERROR_STATUS.token_expired);
        // A drain: the supervisor reconnects after a short jittered wait, elsewhere if it can.
        if (frame.code === 'shutdown') throw ClientError.shutdown(frame.reason);
        break;
    }
  }
}
