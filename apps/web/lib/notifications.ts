// The notifications demo's vocabulary, shared by the page (browser) and its routes (server). No
// secret here: minting lives in lib/server/, which only route handlers import.
import type { MechanismId } from '@pushpull/contracts';
import { z } from 'zod';

/** Who may "sign in": the demo's stand-in for a user table. */
export const DEMO_USERS = ['alice', 'bob', 'carol'] as const;
export type DemoUser = (typeof DEMO_USERS)[number];
export const DemoUserSchema = z.enum(DEMO_USERS);

export function isDemoUser(value: unknown): value is DemoUser {
  return DemoUserSchema.safeParse(value).success;
}

/** Where a user's notifications are published: one private channel per user. */
export function notificationChannel(user: DemoUser): string {
  return `private:user:${user}:notifications`;
}

/**
 * What a user's own token may read: every channel under their prefix (the separator before the
 * `*`, so `private:user:al:*` never covers alice's). A real app adds channels here, not tokens.
 */
export function userChannelPattern(user: DemoUser): string {
  return `private:user:${user}:*`;
}

/**
 * The mechanisms that follow a channel. Not the message queue: its channels are `job:<id>`,
 * written by workers; a notification is a publish to the user's channel, so it is followed over
 * one of these five.
 */
export const NOTIFICATION_MECHANISMS = [
  'polling',
  'long-polling',
  'sse',
  'streaming',
  'websocket',
] as const satisfies readonly MechanismId[];
export type NotificationMechanism = (typeof NOTIFICATION_MECHANISMS)[number];
export const DEFAULT_NOTIFICATION_MECHANISM: NotificationMechanism = 'sse';

/**
 * Token lifetimes the token route accepts (`?ttl=`, seconds). Minutes in a real app; the demo
 * goes down to 2 s so a renewal shows in the wire log within moments. Below that a token could
 * expire between the mint and the request it was minted for.
 */
export const TOKEN_TTL_S = { min: 2, max: 600, default: 300 } as const;

/** `?ttl=` as a lifetime within TOKEN_TTL_S; anything unreadable is the default. */
export function clampTtl(value: string | null | undefined): number {
  const seconds = Number(value);
  if (!value || !Number.isFinite(seconds)) return TOKEN_TTL_S.default;
  return Math.min(TOKEN_TTL_S.max, Math.max(TOKEN_TTL_S.min, Math.round(seconds)));
}

/** The event a notification is: `{ type: 'notification', data: { from, text } }`. */
export const NOTIFICATION_TYPE = 'notification';
export const NotificationDataSchema = z.object({
  from: DemoUserSchema,
  text: z.string().min(1).max(280),
});
export type NotificationData = z.infer<typeof NotificationDataSchema>;

/** What the page posts to `/notifications/send`: the sender comes from the session, never from here. */
export const SendNotificationSchema = z.object({
  to: DemoUserSchema,
  text: NotificationDataSchema.shape.text,
  /** The API instance the page talks to (`?api=`), checked against the configured ones. */
  api: z.string().optional(),
});
export type SendNotification = z.infer<typeof SendNotificationSchema>;

/** Where the demo's routes live: the page and its three route handlers, which share one cookie. */
export const NOTIFICATIONS_PATH = '/notifications';
