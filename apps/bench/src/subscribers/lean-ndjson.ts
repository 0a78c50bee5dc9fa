// NDJSON streaming as a lean subscriber: one GET, the body cut into lines, an event line's stamp
// read from its text and its id kept as the cursor; a `reset` line's cursor replaces it. A
// `closing` line is followed by the end of the stream, and the reconnect resumes with `after`.
import { withQuery } from './lean-http';
import { LeanStream } from './lean-stream';
import { firstString, readStamps } from './stamp';

const KIND = '"kind":"';

export class LeanNdjson extends LeanStream {
  private cursor: string | undefined;

  protected nextRequest() {
    return {
      url: withQuery(this.target.url, { after: this.cursor }),
      headers: { Accept: 'application/x-ndjson' },
    };
  }

  protected read(chunk: string): void {
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
