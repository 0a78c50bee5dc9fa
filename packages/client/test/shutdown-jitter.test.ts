import { afterEach, describe, expect, it, vi } from 'vitest';
import { BaseSubscription, type TransportContext } from '../src/base-subscription';
import { DEFAULT_SHUTDOWN_JITTER_MS, shutdownJitterDelay } from '../src/backoff';
import { ClientError } from '../src/errors';
import type { ConnectOptions, StatusChange, WireEntry } from '../src/types';
import { until } from './support';

/** A transport whose every run ends the way `failures` says, in turn (the last one repeats). */
class ScriptedSubscription extends BaseSubscription {
  private runs = 0;
  constructor(
    options: ConnectOptions,
    private readonly script: Array<'shutdown after open' | 'shutdown' | 'network error'>,
  ) {
    super('sse', options);
  }

  protected run(context: TransportContext): Promise<void> {
    const step = this.script[Math.min(this.runs++, this.script.length - 1)]!;
    if (step === 'shutdown after open') context.opened();
    if (step === 'network error')
      return Promise.reject(new ClientError('network_error', 'connection refused'));
    return Promise.reject(ClientError.shutdown('The server is shutting down'));
  }
}

const options = (extra: Partial<ConnectOptions> = {}): ConnectOptions => ({
  baseUrl: 'http://a.invalid',
  channel: 'jitter',
  ...extra,
});

/** Every `backoff` status and wire line of a subscription, as they happen. */
function watch(subscription: BaseSubscription) {
  const backoffs: StatusChange[] = [];
  const wire: WireEntry[] = [];
  subscription.on('status', (change) => {
    if (change.status === 'backoff') backoffs.push(change);
  });
  subscription.on('wire', (entry) => wire.push(entry));
  return { backoffs, wire };
}

afterEach(() => vi.restoreAllMocks());

describe('shutdownJitterDelay', () => {
  it('draws from [0, ceiling), whatever the random number', () => {
    expect(shutdownJitterDelay(1000, () => 0)).toBe(0);
    expect(shutdownJitterDelay(1000, () => 0.5)).toBe(500);
    expect(shutdownJitterDelay(1000, () => 0.999_999)).toBe(999);
    expect(shutdownJitterDelay(undefined, () => 0.999_999)).toBe(DEFAULT_SHUTDOWN_JITTER_MS - 1);
    expect(shutdownJitterDelay(0, () => 0.7)).toBe(0);
  });
});

describe('a subscription told `shutdown`', () => {
  it('N of them told at once spread their reconnects over [0, shutdownJitterMs)', async () => {
    const N = 10;
    const ceiling = 1000;
    // The i-th draw is i/N: the subscriptions' delays must follow it across the whole range.
    let draw = 0;
    vi.spyOn(Math, 'random').mockImplementation(() => draw++ / N);
    const crowd = Array.from(
      { length: N },
      () =>
        new ScriptedSubscription(options({ shutdownJitterMs: ceiling }), ['shutdown after open']),
    );
    const watched = crowd.map(watch);
    await until(() => watched.every((w) => w.backoffs.length >= 1), 'every one scheduled');
    crowd.forEach((subscription) => subscription.close()); // before any delay runs out

    const delays = watched.map((w) => w.backoffs[0]!.retryInMs!);
    expect(delays).toEqual(Array.from({ length: N }, (_, i) => (i * ceiling) / N));
    for (const w of watched) {
      expect(w.backoffs[0]!.error?.code).toBe('server_shutdown');
      const line = w.wire.find((entry) => entry.summary.startsWith('server shutting down'));
      expect(line?.summary).toBe(
        `server shutting down → reconnecting in ${w.backoffs[0]!.retryInMs} ms`,
      );
    }
  });

  it('waits under shutdownJitterMs however often, and a later failure backs off from the start', async () => {
    // The largest draw every time: the delay shows its ceiling.
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    const subscription = new ScriptedSubscription(
      // A backoff far above the shutdown jitter: an escalating one would show at once.
      options({ shutdownJitterMs: 5, backoff: { baseMs: 10, maxMs: 100_000 } }),
      ['shutdown', 'shutdown', 'shutdown', 'shutdown', 'network error'],
    );
    const { backoffs } = watch(subscription);
    await until(() => backoffs.length >= 6, 'four shutdowns and two failures');
    subscription.close();

    const shutdowns = backoffs.slice(0, 4);
    expect(shutdowns.map((change) => change.retryInMs)).toEqual([4, 4, 4, 4]);
    // Four shutdowns in a row counted no failure: the first failure after them draws from
    // [0, base), the second from [0, 2·base).
    expect(backoffs.slice(4).map((change) => [change.error?.code, change.retryInMs])).toEqual([
      ['network_error', 9],
      ['network_error', 19],
    ]);
    expect(subscription.stats().reconnects).toBeGreaterThanOrEqual(5);
  });

  it('fails over to the next origin', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const subscription = new ScriptedSubscription(
      options({ fallbackUrls: ['http://b.invalid'], shutdownJitterMs: 1000 }),
      ['shutdown after open'],
    );
    const { backoffs, wire } = watch(subscription);
    await until(() => backoffs.length >= 1, 'scheduled');
    subscription.close();
    const summaries = wire.map((entry) => entry.summary);
    expect(summaries).toContain('server shutting down → reconnecting in 0 ms');
    expect(summaries).toContain('failing over to http://b.invalid');
  });
});
