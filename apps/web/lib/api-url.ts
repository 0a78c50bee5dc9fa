/** Where the API listens unless `API_URL` says otherwise; it must match the API's CORS origin list. */
const DEFAULT_API_URL = 'http://localhost:4000';

/**
 * The API origin, read on the server at request time (pages call `connection()` first), so one
 * build serves any API. Deliberately not NEXT_PUBLIC_: those are inlined at build time.
 */
export function apiUrl(): string {
  return (process.env.API_URL || DEFAULT_API_URL).replace(/\/+$/, '');
}
