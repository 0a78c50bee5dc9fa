import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_STREAM_TOKEN_SECRET, mintStreamToken, streamTokenKey } from '../src';

describe('mintStreamToken', () => {
  it('signs HS256 claims that jose verifies with the same secret', async () => {
    const token = await mintStreamToken({
      secret: DEVELOPMENT_STREAM_TOKEN_SECRET,
      sub: 'alice',
      subscribe: ['private:user:alice:*'],
      publish: ['private:user:alice:outbox'],
      ttlS: 60,
      now: Date.now(),
    });
    const { payload, protectedHeader } = await jwtVerify(
      token,
      streamTokenKey(DEVELOPMENT_STREAM_TOKEN_SECRET),
      { algorithms: ['HS256'] },
    );
    expect(protectedHeader.alg).toBe('HS256');
    expect(payload).toMatchObject({
      sub: 'alice',
      subscribe: ['private:user:alice:*'],
      publish: ['private:user:alice:outbox'],
    });
    expect(payload.exp! - payload.iat!).toBe(60);
  });

  it('leaves publish out when none is given', async () => {
    const token = await mintStreamToken({
      secret: DEVELOPMENT_STREAM_TOKEN_SECRET,
      sub: 'bob',
      subscribe: [],
      ttlS: 1,
    });
    const { payload } = await jwtVerify(token, streamTokenKey(DEVELOPMENT_STREAM_TOKEN_SECRET));
    expect(payload).not.toHaveProperty('publish');
  });

  it('refuses a secret shorter than 32 bytes', async () => {
    await expect(
      mintStreamToken({ secret: 'short', sub: 'a', subscribe: [], ttlS: 1 }),
    ).rejects.toThrow(/32 bytes/);
  });
});
