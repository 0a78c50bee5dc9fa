import { z } from 'zod';
import { ChannelEventSchema, CursorSchema } from './events';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from './limits';

/**
 * What a pull answers. `cursor` is the last event's id (or the cursor asked with when there is
 * none); `more` says `limit` cut the page; `reset` says the cursor was older than retained history
 * (or from another epoch) and the page starts at the oldest retained event instead.
 */
export const PageSchema = z.object({
  events: z.array(ChannelEventSchema),
  cursor: CursorSchema,
  more: z.literal(true).optional(),
  reset: z.literal(true).optional(),
});
export type Page = z.infer<typeof PageSchema>;

export const PageLimitSchema = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z.coerce
    .number()
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(MAX_PAGE_LIMIT, `limit must be at most ${MAX_PAGE_LIMIT}`)
    .default(DEFAULT_PAGE_LIMIT),
);

/**
 * `after` in a query string. Absent or empty (`?after=`) both mean "from the oldest retained event";
 * its syntax is the log driver's business (a malformed one is 400 `invalid_cursor`), not the query's.
 */
export const AfterParamSchema = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z.string().optional(),
);

/** `GET /api/poll/:channel?after=&limit=`. Unknown parameters (cache busters) are ignored. */
export const PollQuerySchema = z.object({
  after: AfterParamSchema,
  limit: PageLimitSchema,
});
export type PollQuery = z.infer<typeof PollQuerySchema>;
