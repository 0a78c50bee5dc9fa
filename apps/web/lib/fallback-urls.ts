/**
 * The other API origins of a cluster, as one string: hooks list it as an effect dependency (a
 * fresh array each render would reconnect every time) and split it inside.
 */
export function fallbackKey(apiUrl: string, apiUrls: readonly string[]): string {
  return apiUrls.filter((url) => url !== apiUrl).join(' ');
}

export function fallbackUrls(key: string): string[] {
  return key ? key.split(' ') : [];
}
