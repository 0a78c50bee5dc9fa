'use client';

import { useNotifications } from '@/hooks/useNotifications';
import { demoTokenSource } from '@/lib/notifications-api';
import { fallbackKey } from '@/lib/fallback-urls';
import { type DemoUser, type NotificationMechanism } from '@/lib/notifications';
import { ConnectionStatus } from './ConnectionStatus';
import { Counters } from './Counters';
import { ErrorNotice } from './ErrorNotice';
import { NotificationBell } from './NotificationBell';
import { NotificationList } from './NotificationList';
import { OfflineToggle } from './OfflineToggle';
import { OtherUserChannel } from './OtherUserChannel';
import { Panel } from './Panel';
import { SendNotificationForm } from './SendNotificationForm';
import { WireLog } from './WireLog';

interface NotificationsPageProps {
  user: DemoUser;
  mechanism: NotificationMechanism;
  ttlS: number;
  apiUrl: string;
  apiUrls: string[];
}

/** The signed-in user's inbox over their private channel, and what the API says to everyone else. */
export function NotificationsPage({
  user,
  mechanism,
  ttlS,
  apiUrl,
  apiUrls,
}: NotificationsPageProps) {
  const fallbacks = fallbackKey(apiUrl, apiUrls);
  const inbox = useNotifications({ user, mechanism, apiUrl, fallbacks, ttlS });
  const { subscription } = inbox;

  return (
    <>
      <div className="mechanism-grid notifications-grid">
        <div className="panel-column">
          <Panel title="Connection">
            <ConnectionStatus connection={subscription.connection} />
            <ErrorNotice error={subscription.connection.error} />
            <OfflineToggle offline={subscription.offline} onChange={subscription.setOffline} />
          </Panel>
          <Panel title="Send a notification">
            <SendNotificationForm user={user} />
          </Panel>
          <Panel title="Someone else's channel">
            <OtherUserChannel
              user={user}
              follow={{ mechanism, apiUrl, fallbacks, getToken: demoTokenSource(ttlS) }}
            />
          </Panel>
        </div>
        <Panel title="Inbox" className="panel feed-panel">
          <div className="inbox-bar">
            <NotificationBell unread={inbox.unread} onOpen={inbox.markAllRead} />
            <span className="hint">
              <code>private:user:{user}:notifications</code>
            </span>
          </div>
          <NotificationList notifications={inbox.notifications} onRead={inbox.markRead} />
        </Panel>
      </div>
      <div className="panel-column">
        <Panel title="Counters">
          <Counters stats={subscription.stats} />
        </Panel>
        <Panel title="Wire log">
          <WireLog lines={subscription.wire} />
        </Panel>
      </div>
    </>
  );
}
