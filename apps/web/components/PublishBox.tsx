'use client';

import { publish } from '@pushpull/client';
import { useId, useState, type FormEvent } from 'react';
import { useSubmission } from '@/hooks/useSubmission';
import { ErrorNotice } from './ErrorNotice';

interface PublishBoxProps {
  apiUrl: string;
  channel: string;
}

/**
 * Publishes `{ type: 'message', data: { text } }` with a plain POST. Publishing is the same for
 * every mechanism; only how the event comes back differs.
 */
export function PublishBox({ apiUrl, channel }: PublishBoxProps) {
  const inputId = useId();
  const [text, setText] = useState('');
  const { sending, error, submit } = useSubmission();

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const sent = await submit(() => publish(apiUrl, channel, { type: 'message', data: { text } }));
    if (sent) setText('');
  }

  return (
    <form className="publish-box" onSubmit={handleSubmit}>
      <label htmlFor={inputId}>Message</label>
      <div className="publish-row">
        <input
          id={inputId}
          type="text"
          value={text}
          required
          autoComplete="off"
          placeholder="hello"
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit" disabled={sending}>
          Publish
        </button>
      </div>
      <ErrorNotice error={error} />
    </form>
  );
}
