import { SignJWT } from 'jose';

/**
 * Tokens as an outside client mints them: with jose and the secret alone (not the kit's own
 * helper), plus the forgeries an attacker would try.
 */
export const TEST_SECRET = 'a-test-stream-token-secret-that-is-long-enough';
const key = (secret: string) => new TextEncoder().encode(secret);
const nowS = () => Math.floor(Date.now() / 1000);

export interface TokenClaims {
  sub?: string;
  subscribe?: string[];
  publish?: string[];
}

export interface SignOptions {
  /** Seconds from now (negative: already expired); `null` leaves `exp` out. */
  expInS?: number | null;
  secret?: string;
  alg?: 'HS256' | 'HS384' | 'HS512';
}

export async function sign(claims: TokenClaims, options: SignOptions = {}): Promise<string> {
  const { sub = 'alice', ...grants } = claims;
  const jwt = new SignJWT(grants)
    .setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuedAt();
  const expInS = options.expInS === undefined ? 60 : options.expInS;
  if (expInS !== null) jwt.setExpirationTime(nowS() + expInS);
  return jwt.sign(key(options.secret ?? TEST_SECRET));
}

/** The expiry (ms) of a token this file signed. */
export function expiryOf(token: string): number {
  const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
    exp: number;
  };
  return payload.exp * 1000;
}

/** An unsecured JWT (`alg: none`, RFC 7519 §6): valid-looking claims, no signature at all. */
export function unsigned(claims: TokenClaims): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: 'alice', exp: nowS() + 60, ...claims })}.`;
}

export const ALICE = 'private:user:alice:inbox';
/** Alice's own grant: read everything of hers, write her inbox. */
export const aliceGrant: TokenClaims = {
  sub: 'alice',
  subscribe: ['private:user:alice:*'],
  publish: ['private:user:alice:*'],
};

/** Every way a token can be refused, with the code the contract gives it; tokens made on demand. */
export const REFUSED_TOKENS: Array<{
  name: string;
  token: () => Promise<string | undefined> | string | undefined;
  status: number;
  code: string;
}> = [
  { name: 'no token', token: () => undefined, status: 401, code: 'unauthorized' },
  { name: 'a malformed token', token: () => 'not.a-jwt', status: 401, code: 'unauthorized' },
  {
    name: 'a wrong signature',
    token: () => sign(aliceGrant, { secret: 'another-secret-that-is-long-enough-too!!' }),
    status: 401,
    code: 'unauthorized',
  },
  { name: 'alg: none', token: () => unsigned(aliceGrant), status: 401, code: 'unauthorized' },
  {
    name: 'another algorithm (HS512)',
    token: () => sign(aliceGrant, { alg: 'HS512' }),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'no exp',
    token: () => sign(aliceGrant, { expInS: null }),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'claims of the wrong shape',
    token: () => sign({ sub: 'alice', subscribe: 'private:user:alice:*' as unknown as string[] }),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'an expired token',
    token: () => sign(aliceGrant, { expInS: -10 }),
    status: 401,
    code: 'token_expired',
  },
  {
    name: "another user's token",
    token: () =>
      sign({ sub: 'bob', subscribe: ['private:user:bob:*'], publish: ['private:user:bob:*'] }),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a prefix pattern, on the name before its separator',
    token: () =>
      sign({
        sub: 'alice',
        subscribe: ['private:user:alice:inbox:*'],
        publish: ['private:user:alice:inbox:*'],
      }),
    status: 403,
    code: 'forbidden',
  },
];
