// The publisher's events carry `{ seq, sentAt, pad }` as their data: the only fields the lean
// subscribers read. They find them by text search rather than JSON.parse, so a 1 KiB event costs
// two indexOf calls, not a parse — whatever envelope the server wraps the data in.
import type { OnStamp } from './types';

const SEQ = '"seq":';
const SENT_AT = '"sentAt":';

/** Every `"seq":…,"sentAt":…` pair in `text` (a frame, a page of events, a socket.io ack). */
export function readStamps(text: string, onStamp: OnStamp): number {
  let found = 0;
  let at = text.indexOf(SEQ);
  while (at !== -1) {
    const seqStart = at + SEQ.length;
    const sentAtKey = text.indexOf(SENT_AT, seqStart);
    if (sentAtKey === -1) break;
    const seq = parseInt(text.slice(seqStart, sentAtKey), 10);
    const sentAt = parseFloat(
      text.slice(sentAtKey + SENT_AT.length, sentAtKey + SENT_AT.length + 24),
    );
    onStamp(seq, sentAt);
    found += 1;
    at = text.indexOf(SEQ, sentAtKey);
  }
  return found;
}

/** The string value of the last `"key":"…"` in `text` (a page's `cursor`, an event's `id`). */
export function lastString(text: string, key: string): string | undefined {
  const marker = `"${key}":"`;
  const at = text.lastIndexOf(marker);
  if (at === -1) return undefined;
  const start = at + marker.length;
  return text.slice(start, text.indexOf('"', start));
}

/** The string value of the first `"key":"…"` in `text`. */
export function firstString(text: string, key: string): string | undefined {
  const marker = `"${key}":"`;
  const at = text.indexOf(marker);
  if (at === -1) return undefined;
  const start = at + marker.length;
  return text.slice(start, text.indexOf('"', start));
}
