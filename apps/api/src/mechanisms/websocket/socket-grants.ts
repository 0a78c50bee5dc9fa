import { covers, type StreamTokenClaims } from '@pushpull/contracts';
import { whenExpired } from '../../auth/expiry-timer';

/**
 * The private channels one socket reads, each until the `exp` of the token that allowed it: a
 * socket may hold several, opened with different tokens over its life. When the earliest passes,
 * the socket is told `token_expired` and disconnected — unless an `auth` brought a fresh token
 * first that covers that channel, which moves its expiry to the new token's.
 */
export class SocketGrants {
  private readonly expiries = new Map<string, number>();
  private cancelTimer: (() => void) | undefined;

  constructor(private readonly onExpired: () => void) {}

  hold(channel: string, expiresAt: number): void {
    this.expiries.set(channel, expiresAt);
    this.rearm();
  }

  release(channel: string): void {
    if (this.expiries.delete(channel)) this.rearm();
  }

  /**
   * A fresh token: each held channel its `subscribe` claim covers lives until its `exp`. A channel
   * it does not cover keeps the expiry of the token that opened it (never a silent cut-off).
   */
  renew(claims: StreamTokenClaims): void {
    for (const channel of this.expiries.keys()) {
      if (covers(claims.subscribe, channel)) this.expiries.set(channel, claims.exp * 1000);
    }
    this.rearm();
  }

  clear(): void {
    this.expiries.clear();
    this.cancelTimer?.();
  }

  private rearm(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    if (this.expiries.size === 0) return;
    this.cancelTimer = whenExpired(Math.min(...this.expiries.values()), this.onExpired);
  }
}
