import { z } from 'zod';

/** Lower-case, URL-safe, short: a channel name travels in paths, Redis keys and queue names. */
export const CHANNEL_NAME_PATTERN = /^[a-z0-9][a-z0-9:_-]{0,63}$/;

export const ChannelNameSchema = z
  .string()
  .regex(
    CHANNEL_NAME_PATTERN,
    'channel must match ^[a-z0-9][a-z0-9:_-]{0,63}$ (lower-case letters, digits, ":", "_", "-")',
  )
  .describe('Channel name, e.g. "demo" or "prices:eur"');
export type ChannelName = z.infer<typeof ChannelNameSchema>;

/** `job:<id>` channels carry job events and are written only by the server. */
export const SERVER_ONLY_CHANNEL_PREFIX = 'job:';
/** `private:<…>` channels are read and written only with a stream token that covers them. */
export const PRIVATE_CHANNEL_PREFIX = 'private:';

export function isServerOnlyChannel(channel: string): boolean {
  return channel.startsWith(SERVER_ONLY_CHANNEL_PREFIX);
}

export function isPrivateChannel(channel: string): boolean {
  return channel.startsWith(PRIVATE_CHANNEL_PREFIX);
}

/**
 * A channel a client may write to. The refusal carries its own contract code (`forbidden`, 403):
 * the name is fine, the writer is not allowed. `params.code` is how a schema names that code.
 */
export const WritableChannelSchema = ChannelNameSchema.refine(
  (channel) => !isServerOnlyChannel(channel),
  {
    message: `channels starting with "${SERVER_ONLY_CHANNEL_PREFIX}" are written only by the server`,
    params: { code: 'forbidden' },
  },
);

export const ChannelHeadSchema = z.object({
  channel: ChannelNameSchema,
  head: z.string().describe('Cursor of the newest event; asking after it returns only new events'),
});
export type ChannelHead = z.infer<typeof ChannelHeadSchema>;
