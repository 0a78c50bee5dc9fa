// SSE in as few steps as counting allows: one GET, frames cut at the blank line, each frame's
// `id:` kept for Last-Event-ID and its stamp read from the data. Control frames (`event: reset`,
// `event: closing`) need nothing more: a reset's `id:` is the new cursor, a closing is followed by
// the end of the stream, and the reconnect resumes from the last id.
import { LeanStream } from './lean-stream';
import { readStamps } from './stamp';

export class LeanSse extends LeanStream {
  private lastId: string | undefined;

  protected nextRequest() {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (this.lastId !== undefined) headers['Last-Event-ID'] = this.lastId;
    return { url: this.target.url, headers };
  }

  protected read(chunk: string): void {
    const text = this.pending + chunk;
    const end = text.lastIndexOf('\n\n');
    if (end === -1) {
      this.pending = text;
      return;
    }
    this.pending = text.slice(end + 2);
    let start = 0;
    while (start < end) {
      let stop = text.indexOf('\n\n', start);
      if (stop === -1 || stop > end) stop = end;
      this.frame(text.slice(start, stop));
      start = stop + 2;
    }
  }

  private frame(frame: string): void {
    if (frame.startsWith(':')) return; // a heartbeat comment
    const idAt = frame.startsWith('id:') ? 0 : frame.indexOf('\nid:') + 1; // 0: no id line
    if (idAt > 0 || frame.startsWith('id:')) {
      const lineEnd = frame.indexOf('\n', idAt);
      this.lastId = frame.slice(idAt + 3, lineEnd === -1 ? undefined : lineEnd).trim();
    }
    readStamps(frame, this.onStamp);
  }
}
