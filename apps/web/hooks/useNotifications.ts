import { useCallback, useMemo, useState } from 'react';
import { demoTokenSource } from '@/lib/notifications-api';
import {
  notificationChannel,
  type DemoUser,
  type NotificationMechanism,
} from '@/lib/notifications';
import { notificationsFrom, type Notification } from './notifications-view';
import { useSubscription, type SubscriptionState } from './useSubscription';

export interface NotificationsState {
  subscription: SubscriptionState;
  notifications: Notification[];
  unread: number;
  markRead(id: string): void;
  markAllRead(): void;
}

interface NotificationsTarget {
  user: DemoUser;
  mechanism: NotificationMechanism;
  apiUrl: string;
  fallbacks: string;
  ttlS: number;
}

/**
 * The signed-in user's notifications: their private channel followed with a token from the web
 * server, and which ones they have read (in this tab: a real app would store it server-side).
 */
export function useNotifications({
  user,
  ttlS,
  ...target
}: NotificationsTarget): NotificationsState {
  const subscription = useSubscription({
    ...target,
    channel: notificationChannel(user),
    getToken: demoTokenSource(ttlS),
  });
  const [readIds, setReadIds] = useState<ReadonlySet<string>>(new Set());
  const notifications = useMemo(
    () => notificationsFrom(subscription.feed, readIds),
    [subscription.feed, readIds],
  );
  const markRead = useCallback((id: string) => setReadIds((read) => new Set(read).add(id)), []);
  const markAllRead = useCallback(
    () => setReadIds((read) => new Set([...read, ...notifications.map(({ id }) => id)])),
    [notifications],
  );
  const unread = notifications.filter(({ read }) => !read).length;
  return { subscription, notifications, unread, markRead, markAllRead };
}
