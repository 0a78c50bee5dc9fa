import type { SerializedPage } from './channel-log';

/**
 * A page's JSON spelled around its events' stored JSON, nothing parsed or stringified again:
 * the same bytes as `JSON.stringify` of the page `ChannelLog.read` returns (keys in its order).
 */
export function pageJson({ events, cursor, more, reset }: SerializedPage): string {
  const items = events.map((event) => event.json).join(',');
  const flags = `${more ? ',"more":true' : ''}${reset ? ',"reset":true' : ''}`;
  return `{"events":[${items}],"cursor":${JSON.stringify(cursor)}${flags}}`;
}
