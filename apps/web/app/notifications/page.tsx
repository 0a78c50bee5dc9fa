import type { Metadata } from 'next';
import { connection } from 'next/server';
import { DemoSignIn } from '@/components/DemoSignIn';
import { NotificationMechanismPicker } from '@/components/NotificationMechanismPicker';
import { NotificationsPage } from '@/components/NotificationsPage';
import { apiTarget } from '@/lib/api-url';
import type { MechanismRouteProps } from '@/lib/mechanism-route';
import { readNotificationParams } from '@/lib/notification-params';
import { TOKEN_TTL_S } from '@/lib/notifications';
import { sessionUser } from '@/lib/server/demo-session';
import '@/components/mechanism-page.css';
import '@/components/notifications.css';

export const metadata: Metadata = {
  title: 'Notifications',
  description: "Each user's private channel, read with a stream token the web server mints.",
};

/**
 * Renders per request: the session cookie says who is signed in, and `API_URLS` / `API_URL` are
 * read now. The secret is not read here; only the token route mints (lib/server/demo-tokens.ts).
 */
export default async function NotificationsRoute({ searchParams }: MechanismRouteProps) {
  await connection();
  const query = await searchParams;
  const user = await sessionUser();
  const { mechanism, ttlS, keep } = readNotificationParams(query);

  return (
    <article className="mechanism-page">
      <header className="mechanism-header">
        <h1>Notifications</h1>
        <p className="summary">
          Each user has a private channel. The web server stands in for a login: it knows who you
          are and mints your stream token, which reads your channel and nobody else&apos;s. Sending
          goes through the web server too, which publishes with a token of its own.
        </p>
        <div className="mechanism-toolbar">
          <DemoSignIn user={user} keep={keep} />
          {user && <NotificationMechanismPicker current={mechanism} />}
        </div>
        {user && (
          <p className="target">
            Token lifetime {ttlS} s
            {ttlS === TOKEN_TTL_S.default && (
              <>
                {' '}
                (add <code>?ttl=5</code> to watch it renew in the wire log)
              </>
            )}
          </p>
        )}
      </header>
      {user ? (
        <NotificationsPage
          key={user}
          user={user}
          mechanism={mechanism}
          ttlS={ttlS}
          {...apiTarget(query)}
        />
      ) : (
        <p className="hint">Pick a demo user to sign in as.</p>
      )}
    </article>
  );
}
