'use client';

import { useSearchParams } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';
import { API_PARAM } from '@/lib/api-param';
import { DEMO_USERS, type DemoUser } from '@/lib/notifications';
import { sendNotification } from '@/lib/notifications-api';
import { useSubmission } from '@/hooks/useSubmission';
import { ErrorNotice } from './ErrorNotice';

/**
 * Sends through the web server (`POST /notifications/send`), which publishes with a publish token
 * of its own: the browser can ask, but never holds a token that writes to anyone's channel.
 */
export function SendNotificationForm({ user }: { user: DemoUser }) {
  const toId = useId();
  const textId = useId();
  const api = useSearchParams().get(API_PARAM) ?? undefined;
  const [to, setTo] = useState<DemoUser>(user);
  const [text, setText] = useState('');
  const { sending, error, submit } = useSubmission();

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (await submit(() => sendNotification({ to, text, api }))) setText('');
  }

  return (
    <form className="send-form" onSubmit={handleSubmit}>
      <div className="send-row">
        <label htmlFor={toId}>To</label>
        <select id={toId} value={to} onChange={(event) => setTo(event.target.value as DemoUser)}>
          {DEMO_USERS.map((name) => (
            <option key={name} value={name}>
              {name === user ? `${name} (you)` : name}
            </option>
          ))}
        </select>
      </div>
      <label htmlFor={textId}>Message</label>
      <div className="publish-row">
        <input
          id={textId}
          type="text"
          value={text}
          required
          maxLength={280}
          autoComplete="off"
          placeholder="Lunch at noon?"
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit" disabled={sending}>
          Send
        </button>
      </div>
      <ErrorNotice error={error} />
    </form>
  );
}
