'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useId, type ChangeEvent } from 'react';
import { API_PARAM } from '@/lib/api-param';

interface ApiInstanceProps {
  /** The origin this page talks to. */
  apiUrl: string;
  /** Every configured origin (`API_URLS`), the chosen one first. */
  apiUrls: readonly string[];
}

/**
 * Which API instance the page talks to: just the origin, or a selector when `API_URLS` lists
 * several. Choosing one replaces `?api=` in the URL (other params kept), so the server hands the
 * page the new origin and its subscriptions reconnect there.
 */
export function ApiInstance({ apiUrl, apiUrls }: ApiInstanceProps) {
  const selectId = useId();
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();

  if (apiUrls.length < 2) {
    return (
      <>
        API <code>{apiUrl}</code>
      </>
    );
  }

  function handleChange(event: ChangeEvent<HTMLSelectElement>) {
    const next = new URLSearchParams(searchParams);
    next.set(API_PARAM, event.target.value);
    // replace, not push: switching instance is a setting of this page, not a step to go back to.
    router.replace(`${pathname}?${next}`);
  }

  // Sorted, so the options keep their places when the choice (and so apiUrls' order) changes.
  const origins = [...apiUrls].sort();
  return (
    <>
      <label htmlFor={selectId} className="api-instance-label">
        API instance
      </label>{' '}
      {/* Keyed by the choice so back/forward navigation resets what the box shows. */}
      <select
        key={apiUrl}
        id={selectId}
        className="api-instance"
        defaultValue={apiUrl}
        onChange={handleChange}
      >
        {origins.map((origin) => (
          <option key={origin} value={origin}>
            {origin}
          </option>
        ))}
      </select>
    </>
  );
}
