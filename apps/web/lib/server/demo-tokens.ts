// The two tokens of the notifications demo, minted on the web server (the secret never reaches the
// browser). A real backend does exactly this once its own login says who the user is.
import { mintStreamToken } from '@pushpull/stream-tokens';
import { notificationChannel, userChannelPattern, type DemoUser } from '../notifications';
import { requireStreamTokenSecret } from './stream-token-secret';

/** A publish token is used at once, by this server: a minute is plenty. */
const PUBLISH_TOKEN_TTL_S = 60;

/** What the browser gets: read the user's own channels, write none. */
export function readTokenFor(user: DemoUser, ttlS: number): Promise<string> {
  return mintStreamToken({
    secret: requireStreamTokenSecret(),
    sub: user,
    subscribe: [userChannelPattern(user)],
    ttlS,
  });
}

/**
 * What this server publishes with: `from` may write to `to`'s notifications and nothing else. It
 * never leaves the server, so the browser cannot write to anyone's channel directly.
 */
export function publishTokenFor(from: DemoUser, to: DemoUser): Promise<string> {
  return mintStreamToken({
    secret: requireStreamTokenSecret(),
    sub: from,
    subscribe: [],
    publish: [notificationChannel(to)],
    ttlS: PUBLISH_TOKEN_TTL_S,
  });
}
