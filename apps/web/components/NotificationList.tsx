import type { Notification } from '@/hooks/notifications-view';

const timeOf = (ts: number) => new Date(ts).toLocaleTimeString();

/** The inbox, newest first; an unread notification is marked read when clicked. */
export function NotificationList({
  notifications,
  onRead,
}: {
  notifications: Notification[];
  onRead: (id: string) => void;
}) {
  return (
    <div className="notification-scroller">
      <ol aria-label="Notifications" className="notifications">
        {notifications.map(({ id, from, text, ts, read }) => (
          <li key={id} data-event-id={id} className={read ? 'notification' : 'notification unread'}>
            <span className="notification-text">{text}</span>
            <small className="feed-meta">
              from {from} · <time dateTime={new Date(ts).toISOString()}>{timeOf(ts)}</time>
            </small>
            {!read && (
              <button type="button" className="mark-read" onClick={() => onRead(id)}>
                Mark read
              </button>
            )}
          </li>
        ))}
      </ol>
      {notifications.length === 0 && (
        <p className="empty-note">No notifications yet. Send yourself one.</p>
      )}
    </div>
  );
}
