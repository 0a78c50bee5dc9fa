'use client';

import { useId, useState, type FormEvent } from 'react';
import { useSubscription, type SubscriptionTarget } from '@/hooks/useSubscription';
import { DEMO_USERS, notificationChannel, type DemoUser } from '@/lib/notifications';
import { ConnectionStatus } from './ConnectionStatus';
import { ErrorNotice } from './ErrorNotice';
import { WireLog } from './WireLog';

type Follow = Omit<SubscriptionTarget, 'channel'>;

/**
 * Tries to follow another user's channel with the signed-in user's own token: the API answers 403
 * `forbidden` (the token covers `private:user:<you>:*` only), and the client stops as `failed`
 * after asking once for a fresh token, which covers no more.
 */
export function OtherUserChannel({ user, follow }: { user: DemoUser; follow: Follow }) {
  const selectId = useId();
  const others = DEMO_USERS.filter((name) => name !== user);
  const [opened, setOpened] = useState<DemoUser>();

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setOpened(new FormData(event.currentTarget).get('user') as DemoUser);
  }

  return (
    <>
      <form className="send-row" onSubmit={handleSubmit}>
        <label htmlFor={selectId}>User</label>
        <select id={selectId} name="user" defaultValue={others[0]}>
          {others.map((name) => (
            <option key={name}>{name}</option>
          ))}
        </select>
        <button type="submit">Open their channel</button>
      </form>
      {opened ? (
        <RefusedChannel key={opened} follow={{ ...follow, channel: notificationChannel(opened) }} />
      ) : (
        <p className="hint">
          Your token covers <code>private:user:{user}:*</code> only: see what the API answers.
        </p>
      )}
    </>
  );
}

function RefusedChannel({ follow }: { follow: SubscriptionTarget }) {
  const subscription = useSubscription(follow);
  return (
    <>
      <p className="hint">
        <code>{follow.channel}</code>
      </p>
      <ConnectionStatus connection={subscription.connection} />
      <ErrorNotice error={subscription.connection.error} />
      <WireLog lines={subscription.wire} />
    </>
  );
}
