import type { ChannelEvent } from '@pushpull/contracts';
import type { FeedEntry } from '@/hooks/subscription-view';
import './live-feed.css';

/** A message's text when it has one, otherwise the event's data as JSON. */
function eventText({ data }: ChannelEvent): string {
  if (
    data !== null &&
    typeof data === 'object' &&
    !Array.isArray(data) &&
    typeof data.text === 'string'
  ) {
    return data.text;
  }
  return JSON.stringify(data);
}

/** Events in arrival order, oldest first; a reset shows where history was skipped. */
export function LiveFeed({ feed }: { feed: FeedEntry[] }) {
  return (
    // column-reverse keeps the scroll pinned to the newest event at the bottom.
    <div className="feed-scroller">
      <div className="feed-content">
        <ol aria-label="Live feed" className="feed">
          {feed.map((entry) =>
            entry.kind === 'event' ? (
              <li key={entry.key} data-event-id={entry.event.id} className="feed-event">
                <span className="feed-text">{eventText(entry.event)}</span>{' '}
                <small className="feed-meta">
                  {entry.event.type} · <code>{entry.event.id}</code>
                </small>
              </li>
            ) : (
              <li key={entry.key} className="feed-note">
                History reset: continuing from the oldest retained event
              </li>
            ),
          )}
        </ol>
        {feed.length === 0 && <p className="empty-note">No events yet. Publish one.</p>}
      </div>
    </div>
  );
}
