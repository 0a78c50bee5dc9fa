'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useId, type FormEvent } from 'react';

/**
 * Switches channel by navigating to `?channel=…`: the URL is the source of truth, so a page can be
 * shared or reloaded as is. Other params (interval, …) are kept; `after` is dropped because a
 * cursor belongs to the channel it came from.
 */
export function ChannelForm({ channel }: { channel: string }) {
  const inputId = useId();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next = new URLSearchParams(searchParams);
    next.set('channel', String(new FormData(event.currentTarget).get('channel') ?? '').trim());
    next.delete('after');
    router.push(`${pathname}?${next}`);
  }

  return (
    <form className="channel-form" onSubmit={handleSubmit}>
      <label htmlFor={inputId}>Channel</label>
      {/* Keyed by channel so back/forward navigation resets what the box shows. */}
      <input
        key={channel}
        id={inputId}
        name="channel"
        defaultValue={channel}
        autoComplete="off"
        spellCheck={false}
      />
      <button type="submit">Switch</button>
    </form>
  );
}
