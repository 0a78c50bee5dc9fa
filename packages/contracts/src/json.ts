import { z } from 'zod';
import { MAX_DATA_DEPTH } from './limits';

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Nesting depth of a value, counted iteratively so hostile input (`[[[[...` thousands deep) cannot
 * overflow the stack. Scalars are 0, `{}`/`[]` are 1. Stops counting once past `limit`.
 */
export function nestingDepth(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    const here = depth + 1;
    if (here > deepest) deepest = here;
    if (deepest > limit) return deepest;
    for (const child of Object.values(current)) stack.push([child, here]);
  }
  return deepest;
}

/**
 * Any JSON value nested at most MAX_DATA_DEPTH levels. The depth is checked first, so zod's
 * recursive JSON check only ever sees bounded input.
 */
export const JsonDataSchema = z
  .unknown()
  .refine((value) => value !== undefined, 'data is required (any JSON value, null included)')
  .refine(
    (value) => nestingDepth(value, MAX_DATA_DEPTH) <= MAX_DATA_DEPTH,
    `data is nested deeper than ${MAX_DATA_DEPTH} levels`,
  )
  .pipe(z.json({ error: 'data must be JSON: an object, array, string, number, boolean or null' }))
  .describe('Any JSON value') as unknown as z.ZodType<JsonValue>;
