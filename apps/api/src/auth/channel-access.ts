import { Inject, Injectable } from '@nestjs/common';
import { covers, isPrivateChannel, type ChannelAction } from '@pushpull/contracts';
import { ApiError } from '../common/api-error';
import { StreamTokenVerifier, unauthorized } from './stream-token-verifier';

/** What a token allowed on one private channel, and until when: live connections end then. */
export interface AccessGrant {
  sub: string;
  /** The token's `exp`, in ms since the epoch. */
  expiresAt: number;
}

/**
 * The one access check of the API, for every wire (HTTP guard, socket.io gateway, job submits):
 * - a public channel never requires nor rejects a token (a bad one is ignored): `undefined`;
 * - a `private:` channel needs a valid token whose `subscribe` (read) or `publish` (write) claim
 *   covers it: 401 `unauthorized` without one or with a bad one, 401 `token_expired` past its
 *   `exp`, 403 `forbidden` when it does not cover the channel for that action.
 * `job:` channels are not private: they are read by whoever knows the unguessable id.
 */
@Injectable()
export class ChannelAccess {
  constructor(@Inject(StreamTokenVerifier) private readonly verifier: StreamTokenVerifier) {}

  async authorize(
    token: string | undefined,
    channel: string,
    action: ChannelAction,
  ): Promise<AccessGrant | undefined> {
    if (!isPrivateChannel(channel)) return undefined;
    if (!token)
      throw unauthorized(
        `"${channel}" is a private channel: send a stream token (Authorization: Bearer <token>)`,
      );
    const claims = await this.verifier.verify(token);
    if (!covers(claims[action], channel)) {
      const claim = action === 'subscribe' ? 'read' : 'write';
      throw new ApiError(
        'forbidden',
        `The stream token of "${claims.sub}" does not allow to ${claim} "${channel}" (its ${action} claim does not cover it)`,
      );
    }
    return { sub: claims.sub, expiresAt: claims.exp * 1000 };
  }
}
