import { API_PARAM } from './api-param';

/** Where `pnpm dev` runs the API; `API_URLS` or `API_URL` point elsewhere. */
const DEFAULT_API_URL = 'http://localhost:4000';

/** The origin a page talks to, and every configured origin with that one first. */
export interface ApiTarget {
  apiUrl: string;
  /** Chosen first, then the others in configured order: the failover order for the client. */
  apiUrls: string[];
}

type SearchParams = Record<string, string | string[] | undefined>;

function normalizeOrigin(value: string): string {
  return value.trim().replace(/\/+$/, '');
}

/**
 * The API origins, read on the server at request time (pages call `connection()` first), so one
 * build serves any API. `API_URLS` lists several instances, comma-separated
 * (`http://localhost:4000,http://localhost:4001`); without it the list is `API_URL` alone.
 * Deliberately not NEXT_PUBLIC_: those are inlined at build time.
 */
export function configuredApiUrls(): string[] {
  const listed = (process.env.API_URLS ?? '').split(',').map(normalizeOrigin).filter(Boolean);
  if (listed.length > 0) return [...new Set(listed)];
  return [normalizeOrigin(process.env.API_URL ?? '') || DEFAULT_API_URL];
}

/**
 * Picks the instance named by `?api=` if it is one of `configured`, else the first. The param comes
 * from whoever wrote the link, so it is never trusted as an origin of its own.
 */
export function chooseApiTarget(
  configured: readonly string[],
  requested: string | undefined,
): ApiTarget {
  const wanted = requested === undefined ? undefined : normalizeOrigin(requested);
  const apiUrl = configured.find((origin) => origin === wanted) ?? configured[0] ?? DEFAULT_API_URL;
  return { apiUrl, apiUrls: [apiUrl, ...configured.filter((origin) => origin !== apiUrl)] };
}

/** The API target for a request's search params (`?api=`), against the configured origins. */
export function apiTarget(searchParams: SearchParams): ApiTarget {
  const requested = searchParams[API_PARAM];
  return chooseApiTarget(configuredApiUrls(), Array.isArray(requested) ? requested[0] : requested);
}
