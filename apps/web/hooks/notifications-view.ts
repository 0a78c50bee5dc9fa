import type { ChannelEvent } from '@pushpull/contracts';
import {
  NOTIFICATION_TYPE,
  NotificationDataSchema,
  type NotificationData,
} from '@/lib/notifications';
import type { FeedEntry } from './subscription-view';

export interface Notification extends NotificationData {
  id: string;
  ts: number;
  read: boolean;
}

function asNotification(event: ChannelEvent, readIds: ReadonlySet<string>): Notification[] {
  if (event.type !== NOTIFICATION_TYPE) return [];
  // Anyone holding a publish token for the channel could write any shape: show only ours.
  const data = NotificationDataSchema.safeParse(event.data);
  if (!data.success) return [];
  return [{ ...data.data, id: event.id, ts: event.ts, read: readIds.has(event.id) }];
}

/** The feed as notifications, newest first (an inbox is read from the top). */
export function notificationsFrom(
  feed: readonly FeedEntry[],
  readIds: ReadonlySet<string>,
): Notification[] {
  return feed
    .flatMap((entry) => (entry.kind === 'event' ? asNotification(entry.event, readIds) : []))
    .reverse();
}
