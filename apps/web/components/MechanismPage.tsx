'use client';

import type { MechanismId } from '@pushpull/contracts';
import { useSubscription } from '@/hooks/useSubscription';
import { fallbackKey } from '@/lib/fallback-urls';
import type { SocketTransport } from '@/lib/mechanism-route';
import { ApiInstance } from './ApiInstance';
import { ChannelForm } from './ChannelForm';
import { ConnectionStatus } from './ConnectionStatus';
import { Counters, LiveLatencyNote } from './Counters';
import { MechanismHeader } from './MechanismHeader';
import { ErrorNotice } from './ErrorNotice';
import { LiveFeed } from './LiveFeed';
import { OfflineToggle } from './OfflineToggle';
import { PublishBox } from './PublishBox';
import { WireLog } from './WireLog';
import './mechanism-page.css';

interface MechanismPageProps {
  mechanism: MechanismId;
  /** API origin, read by the server per request (`?api=` or the first configured) and handed down. */
  apiUrl: string;
  /** Every configured API origin, `apiUrl` first: the failover order for the client. */
  apiUrls: string[];
  channel: string;
  intervalMs?: number;
  after?: string;
  transport?: SocketTransport;
}

/** The page every mechanism shares: one subscription, and everything it reports. */
export function MechanismPage({
  mechanism,
  apiUrl,
  apiUrls,
  channel,
  intervalMs,
  after,
  transport,
}: MechanismPageProps) {
  const subscription = useSubscription({
    mechanism,
    apiUrl,
    fallbacks: fallbackKey(apiUrl, apiUrls),
    channel,
    intervalMs,
    after,
    transport,
  });
  const { connection } = subscription;

  return (
    <article className="mechanism-page">
      <MechanismHeader mechanism={mechanism}>
        <div className="mechanism-toolbar">
          <ChannelForm channel={channel} />
          <p className="target">
            <ApiInstance apiUrl={apiUrl} apiUrls={apiUrls} />
            {intervalMs !== undefined && <> · every {intervalMs} ms</>}
            {transport !== undefined && <> · {transport} only</>}
          </p>
        </div>
      </MechanismHeader>

      <div className="mechanism-grid">
        <div className="panel-column">
          <section className="panel">
            <h2>Connection</h2>
            <ConnectionStatus connection={connection} />
            <ErrorNotice error={connection.error} />
            <OfflineToggle offline={subscription.offline} onChange={subscription.setOffline} />
          </section>
          <section className="panel">
            <h2>Counters</h2>
            <Counters stats={subscription.stats} />
            <LiveLatencyNote />
          </section>
          <section className="panel">
            <h2>Publish</h2>
            <PublishBox apiUrl={apiUrl} channel={channel} />
          </section>
        </div>
        <section className="panel feed-panel">
          <h2>Live feed</h2>
          <LiveFeed feed={subscription.feed} />
        </section>
      </div>

      <section className="panel">
        <h2>Wire log</h2>
        <WireLog lines={subscription.wire} />
      </section>
    </article>
  );
}
