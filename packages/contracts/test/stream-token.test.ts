import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLOSING_CODES,
  ChannelNameSchema,
  ERROR_STATUS,
  StreamTokenClaimsSchema,
  covers,
  grants,
  isPrivateChannel,
} from '../src';

describe('covers(patterns, channel)', () => {
  it.each([
    ['private:user:alice:*', 'private:user:alice:inbox', true],
    ['private:user:alice:*', 'private:user:alice:a:b', true],
    ['private:user:alice:*', 'private:user:alice', false],
    ['private:user:alice:*', 'private:user:alicex', false],
    ['private:user:alice:*', 'private:user:bob:inbox', false],
    ['private:user:alice', 'private:user:alice', true],
    ['private:user:alice', 'private:user:alice:inbox', false],
    ['private:user:alice', 'private:user:alic', false],
    ['private:*', 'private:anything', true],
    ['*', 'private:anything', true],
    ['private:a*b', 'private:a*b', true], // a `*` before the end is a literal character
    ['private:a*b', 'private:axb', false],
    ['', 'private:x', false],
  ])('%j covers %j: %s', (pattern, channel, expected) => {
    expect(covers([pattern], channel)).toBe(expected);
  });

  it('covers nothing with no patterns (or an absent claim)', () => {
    expect(covers([], 'private:x')).toBe(false);
    expect(covers(undefined, 'private:x')).toBe(false);
  });

  it('is checked per action: a subscribe grant is not a publish grant', () => {
    const claims = StreamTokenClaimsSchema.parse({
      sub: 'alice',
      exp: 1,
      subscribe: ['private:a'],
    });
    expect(grants(claims, 'subscribe', 'private:a')).toBe(true);
    expect(grants(claims, 'publish', 'private:a')).toBe(false);
  });
});

/**
 * An independent reference for the rule, written another way (a regular expression per pattern),
 * so a bug in `covers` is not repeated here.
 */
function referenceCovers(patterns: readonly string[], channel: string): boolean {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return patterns.some((pattern) => {
    const wildcard = /\*$/.test(pattern);
    const body = wildcard ? pattern.replace(/\*$/, '') : pattern;
    return new RegExp(`^${escape(body)}${wildcard ? '[\\s\\S]*' : ''}$`).test(channel);
  });
}

// Small alphabets on purpose: random strings over them collide often, so near misses are common.
const piece = fc.string({ unit: fc.constantFrom('a', 'b', ':', '-', '*'), maxLength: 8 });
const channelPiece = fc.string({ unit: fc.constantFrom('a', 'b', ':', '-'), maxLength: 8 });
const pattern = fc.oneof(
  piece.map((p) => `private:${p}`),
  piece.map((p) => `private:${p}*`),
  piece,
);
/** Channels near the patterns: a pattern's own prefix, cut short, extended, or unrelated. */
const channelNear = (patterns: string[]) =>
  fc.oneof(
    channelPiece.map((p) => `private:${p}`),
    fc
      .tuple(fc.constantFrom(...patterns, 'private:'), channelPiece, fc.nat(4))
      .map(([base, extra, cut]) => {
        const stem = base.replace(/\*$/, '');
        return cut > 2 ? stem.slice(0, stem.length - cut + 2) : stem + extra;
      }),
  );

describe('covers, property-based', () => {
  it('never grants a channel its patterns do not cover, and grants every one they do', () => {
    fc.assert(
      fc.property(
        fc
          .array(pattern, { minLength: 1, maxLength: 4 })
          .chain((patterns) => fc.tuple(fc.constant(patterns), channelNear(patterns))),
        ([patterns, channel]) => {
          expect(covers(patterns, channel)).toBe(referenceCovers(patterns, channel));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('grants nothing beyond the union of single patterns', () => {
    fc.assert(
      fc.property(fc.array(pattern, { maxLength: 4 }), channelPiece, (patterns, rest) => {
        const channel = `private:${rest}`;
        expect(covers(patterns, channel)).toBe(patterns.some((p) => covers([p], channel)));
      }),
    );
  });
});

describe('stream token claims', () => {
  it('require sub, exp and subscribe; publish is optional', () => {
    const base = { sub: 'alice', exp: 1, subscribe: [] };
    expect(StreamTokenClaimsSchema.safeParse(base).success).toBe(true);
    expect(StreamTokenClaimsSchema.safeParse({ ...base, publish: ['x'] }).success).toBe(true);
    for (const key of ['sub', 'exp', 'subscribe'] as const) {
      const { [key]: _left, ...missing } = base;
      expect(StreamTokenClaimsSchema.safeParse(missing).success, key).toBe(false);
    }
    expect(StreamTokenClaimsSchema.safeParse({ ...base, subscribe: 'x' }).success).toBe(false);
  });

  it('name private channels and their error codes', () => {
    expect(isPrivateChannel('private:user:alice')).toBe(true);
    expect(isPrivateChannel('demo')).toBe(false);
    expect(ChannelNameSchema.safeParse('private:user:alice:inbox').success).toBe(true);
    expect(ERROR_STATUS).toMatchObject({ unauthorized: 401, token_expired: 401, forbidden: 403 });
    expect(CLOSING_CODES).toContain('token_expired');
  });
});
