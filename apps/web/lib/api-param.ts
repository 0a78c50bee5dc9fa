/**
 * The query param that picks an API instance: `/sse?api=http://localhost:4001`. It lives in the URL
 * so a link, a reload or a test opens a page on a given instance. The server checks it against the
 * configured origins (lib/api-url.ts); here it is only carried along.
 */
export const API_PARAM = 'api';

/** `href` with `?api=` set when the page has one, so moving between pages keeps the instance. */
export function withApiParam(href: string, api: string | null | undefined): string {
  if (!api) return href;
  const [path = '', query = ''] = href.split('?', 2);
  const params = new URLSearchParams(query);
  params.set(API_PARAM, api);
  return `${path}?${params}`;
}
