import { z } from 'zod';
import { ChannelNameSchema } from './channel';
import { JsonDataSchema } from './json';
import { MAX_CURSOR_LENGTH, MAX_EVENT_TYPE_LENGTH } from './limits';

/** An opaque, ordered position in a channel's log. Clients store it and echo it; never parse it. */
export const CursorSchema = z.string().min(1).max(MAX_CURSOR_LENGTH).describe('Opaque cursor');
export type Cursor = z.infer<typeof CursorSchema>;

export const ChannelEventSchema = z.object({
  id: CursorSchema.describe('Opaque, ordered id; also the cursor that resumes after this event'),
  channel: ChannelNameSchema,
  type: z.string().min(1).max(MAX_EVENT_TYPE_LENGTH),
  data: JsonDataSchema,
  ts: z.number().describe("Server's publish time, ms since the epoch"),
});
export type ChannelEvent = z.infer<typeof ChannelEventSchema>;

export const PublishBodySchema = z
  .object({
    type: z
      .string()
      .min(1, 'type must not be empty')
      .max(MAX_EVENT_TYPE_LENGTH, `type must be at most ${MAX_EVENT_TYPE_LENGTH} characters`)
      .describe('What happened, e.g. "message" or "price.changed"'),
    data: JsonDataSchema,
  })
  .strict();
export type PublishBody = z.infer<typeof PublishBodySchema>;

/** Size of a publish as it travels (UTF-8 JSON): what MAX_EVENT_BYTES bounds on every wire. */
export function publishBodyBytes(body: unknown): number {
  return new TextEncoder().encode(JSON.stringify(body) ?? '').byteLength;
}
