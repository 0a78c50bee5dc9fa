import { Inject, Injectable } from '@nestjs/common';
import {
  STREAM_TOKEN_ALGORITHM,
  StreamTokenClaimsSchema,
  type StreamTokenClaims,
} from '@pushpull/contracts';
import { streamTokenKey } from '@pushpull/stream-tokens';
import { errors, jwtVerify } from 'jose';
import { ApiError } from '../common/api-error';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

/** RFC 6750 §3: a 401 names the scheme, and why a token presented was refused. */
const REALM = 'Bearer realm="pushpull"';
const invalidToken = (description: string) =>
  `${REALM}, error="invalid_token", error_description="${description}"`;

export function unauthorized(message: string, challenge = REALM): ApiError {
  return new ApiError('unauthorized', message).withHeaders({ 'WWW-Authenticate': challenge });
}

export function tokenExpiredError(): ApiError {
  return new ApiError(
    'token_expired',
    'The stream token has expired; fetch a fresh one and resume from your last id',
  ).withHeaders({ 'WWW-Authenticate': invalidToken('The token expired') });
}

/**
 * Checks a stream token: an HS256 signature by STREAM_TOKEN_SECRET (no other algorithm, so neither
 * `none` nor a public-key algorithm fed the secret as a key), a required `exp` in the future, and
 * claims of the contract's shape. Every refusal is an ApiError: `token_expired` for a good token
 * past its `exp`, `unauthorized` for anything else.
 */
@Injectable()
export class StreamTokenVerifier {
  private readonly key: Uint8Array;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = streamTokenKey(config.STREAM_TOKEN_SECRET);
  }

  async verify(token: string): Promise<StreamTokenClaims> {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: [STREAM_TOKEN_ALGORITHM],
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      // jose checks the signature before the claims: an expired token here was signed by us.
      if (error instanceof errors.JWTExpired) throw tokenExpiredError();
      throw unauthorized(
        'The stream token is not valid (malformed, wrong signature, not HS256, or no exp)',
        invalidToken('The token is not valid'),
      );
    }
    const claims = StreamTokenClaimsSchema.safeParse(payload);
    if (!claims.success)
      throw unauthorized(
        'The stream token lacks the claims sub, exp and subscribe (string[])',
        invalidToken('The token claims are malformed'),
      );
    return claims.data;
  }
}
