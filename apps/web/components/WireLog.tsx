import type { WireEntry } from '@pushpull/client';
import type { WireLine } from '@/hooks/subscription-view';
import './wire-log.css';

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** Local wall-clock time to the millisecond; entries exist only in the browser, so no hydration risk. */
function clock(at: number): string {
  const time = new Date(at);
  return `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}.${pad(time.getMilliseconds(), 3)}`;
}

/** 304 is the point of polling with ETags, so it gets its own look; 4xx/5xx read as errors. */
function outcome(status: number | undefined): 'none' | 'ok' | 'unchanged' | 'error' {
  if (status === undefined) return 'none';
  if (status >= 400) return 'error';
  return status === 304 ? 'unchanged' : 'ok';
}

// Two spaces between fields, kept by `white-space: pre-wrap`: the log reads (and copies) as text.
const GAP = '  ';

function WireLineItem({ entry }: { entry: WireEntry }) {
  const kind = outcome(entry.status);
  return (
    <li className={`wire-line wire-${entry.direction} wire-line-${kind}`}>
      <time dateTime={new Date(entry.at).toISOString()}>{clock(entry.at)}</time>
      {GAP}
      <span className="wire-summary">{entry.summary}</span>
      {entry.status !== undefined && (
        <>
          {GAP}
          <span className={`wire-status wire-status-${kind}`}>{entry.status}</span>
        </>
      )}
      {entry.bytes !== undefined && `${GAP}${entry.bytes} B`}
      {entry.ms !== undefined && `${GAP}${entry.ms} ms`}
    </li>
  );
}

/** Every request and frame the client saw, newest first. */
export function WireLog({ lines }: { lines: WireLine[] }) {
  return (
    <div className="wire-scroller">
      <ol aria-label="Wire log" className="wire-log">
        {lines.map((line) => (
          <WireLineItem key={line.key} entry={line.entry} />
        ))}
      </ol>
      {lines.length === 0 && <p className="empty-note">Nothing on the wire yet.</p>}
    </div>
  );
}
