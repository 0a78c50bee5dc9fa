// NDJSON streaming as a lean subscriber: one GET, the body cut into lines, an event line's stamp
// read from its text and its id kept as the cursor; a `reset` line's cursor replaces it. A
// `closing` line is followed by the end of the stream, and the reconnect resumes with `after`.
import type { ClientRequest } from 'node:http';
import { LeanSubscriber } from './lean-base';
import { get, withQuery } from './lean-http';
import { firstString, readStamps } from './stamp';
import type { OnStamp, Target } from './types';

const KIND = '"kind":"';

export class LeanNdjson extends LeanSubscriber {
  private request: ClientRequest | undefined;
  private cursor: string | undefined;
  private pending = '';

  constructor(
    private readonly target: Target,
    private readonly onStamp: OnStamp,
  ) {
    super();
  }

  protected connect(): void {
    this.requests += 1;
    this.pending = '';
    const request = get(
      withQuery(this.target.url, { after: this.cursor }),
      { Accept: 'application/x-ndjson' },
      (response) => {
        if (request !== this.request) return;
        if (response.statusCode !== 200) {
          response.resume();
          return this.reconnect();
        }
        this.open = true;
        this.healthy();
        response.on('data', (chunk: string) => this.read(chunk));
        response.on('end', () => request === this.request && this.reconnect());
        response.on('error', () => request === this.request && this.reconnect());
      },
      () => request === this.request && this.reconnect(),
    );
    this.request = request;
  }

  protected disconnect(): void {
    const request = this.request;
    this.request = undefined;
    request?.destroy();
  }

  private read(chunk: string): void {
    const text = this.pending + chunk;
    let start = 0;
    let end = text.indexOf('\n');
    while (end !== -1) {
      this.line(text.slice(start, end));
      start = end + 1;
      end = text.indexOf('\n', start);
    }
    this.pending = text.slice(start);
  }

  /** The frame's kind by its first letter (event, reset, heartbeat, closing), wherever it sits. */
  private line(line: string): void {
    const at = line.indexOf(KIND);
    const kind = at === -1 ? '' : line[at + KIND.length];
    if (kind === 'e') {
      this.cursor = firstString(line, 'id') ?? this.cursor;
      readStamps(line, this.onStamp);
    } else if (kind === 'r') {
      this.cursor = firstString(line, 'cursor') ?? this.cursor;
    }
  }
}
