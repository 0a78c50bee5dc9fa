/** The bell: how many are unread, and a click marks them all read (the user has seen the list). */
export function NotificationBell({ unread, onOpen }: { unread: number; onOpen: () => void }) {
  const label = `${unread} unread notification${unread === 1 ? '' : 's'}`;
  return (
    <button
      type="button"
      className="bell"
      aria-label={label}
      title="Mark all read"
      onClick={onOpen}
    >
      <BellIcon />
      <span className={unread > 0 ? 'bell-count bell-count-unread' : 'bell-count'}>{unread}</span>
    </button>
  );
}

/** Drawn, not an emoji: an emoji needs a colour font the reader's system may not have. */
function BellIcon() {
  return (
    <svg aria-hidden="true" width="18" height="18" viewBox="0 0 24 24" fill="currentColor">
      <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" />
    </svg>
  );
}
