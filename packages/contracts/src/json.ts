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
 * Where a value holds a key that rewrites an object's prototype once a naive deep merge copies it
 * (prototype poisoning): `__proto__` anywhere, or `prototype` inside a `constructor` object.
 * `JSON.parse` keeps such keys as plain data, but JavaScript code downstream may not, so no wire
 * accepts them. Walked iteratively, like `nestingDepth`. Undefined when the value is clean.
 */
export function findPoisonedKey(value: unknown): Array<string | number> | undefined {
  const stack: Array<[unknown, Array<string | number>]> = [[value, []]];
  while (stack.length > 0) {
    const [current, path] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    for (const [key, child] of Object.entries(current)) {
      const here = [...path, Array.isArray(current) ? Number(key) : key];
      if (key === '__proto__') return here;
      if (key === 'constructor' && child !== null && typeof child === 'object') {
        if (Object.hasOwn(child, 'prototype')) return [...here, 'prototype'];
      }
      stack.push([child, here]);
    }
  }
  return undefined;
}

/**
 * Any JSON value nested at most MAX_DATA_DEPTH levels, with no prototype-poisoning key. The depth
 * is checked first (and stops the checks when it fails), so the walks after it and zod's recursive
 * JSON check only ever see bounded input.
 */
export const JsonDataSchema = z
  .unknown()
  .refine((value) => value !== undefined, 'data is required (any JSON value, null included)')
  .refine((value) => nestingDepth(value, MAX_DATA_DEPTH) <= MAX_DATA_DEPTH, {
    message: `data is nested deeper than ${MAX_DATA_DEPTH} levels`,
    abort: true,
  })
  .superRefine((value, context) => {
    const path = findPoisonedKey(value);
    if (path)
      context.addIssue({
        code: 'custom',
        path,
        message:
          'keys "__proto__" and "constructor.prototype" are not allowed: they poison prototypes',
      });
  })
  .pipe(z.json({ error: 'data must be JSON: an object, array, string, number, boolean or null' }))
  .describe('Any JSON value') as unknown as z.ZodType<JsonValue>;
