import { connectShared, type Subscription } from '@pushpull/client';
import type { MechanismId } from '@pushpull/contracts';
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { fallbackUrls } from '@/lib/fallback-urls';
import { INITIAL_VIEW, reduceSubscriptionView, type SubscriptionView } from './subscription-view';

/** Counters like `requests` move without an event to announce it; a timer keeps them current. */
const STATS_REFRESH_MS = 500;

export interface SubscriptionTarget {
  mechanism: MechanismId;
  apiUrl: string;
  /** Other origins of the same cluster, space-separated (see lib/fallback-urls). */
  fallbacks?: string;
  channel: string;
  intervalMs?: number;
  after?: string;
  transport?: 'websocket' | 'polling';
  /**
   * Fetches a stream token from the app's own backend, for `private:` channels (see the client's
   * `getToken`). Keep its identity stable (a module constant or `useMemo`): a new function is a
   * new target, and the subscription restarts.
   */
  getToken?: () => Promise<string>;
}

export interface SubscriptionState extends SubscriptionView {
  /** Closes the transport as a dropped network would (true), or resumes from the cursor (false). */
  setOffline(offline: boolean): void;
}

/**
 * A thin React wrapper over `connectShared()` from @pushpull/client: one subscription per target
 * (mechanism, apiUrl, fallbacks, channel, interval, after, transport, getToken), closed when any
 * of them changes or on unmount, with everything it reports kept in state for the page to render.
 * Two components share a transport only when every option matches (`connectShared` keys on them
 * all).
 */
export function useSubscription(target: SubscriptionTarget): SubscriptionState {
  const {
    mechanism,
    apiUrl,
    fallbacks = '',
    channel,
    intervalMs,
    after,
    transport,
    getToken,
  } = target;
  const [view, dispatch] = useReducer(reduceSubscriptionView, INITIAL_VIEW);
  const subscriptionRef = useRef<Subscription | null>(null);

  useEffect(() => {
    dispatch({ type: 'restart' }); // a new subscription starts from an empty page
    // Shared: every component of this tab with the same target rides one transport (one EventSource).
    const subscription = connectShared(mechanism, {
      baseUrl: apiUrl,
      fallbackUrls: fallbackUrls(fallbacks),
      channel,
      intervalMs,
      after,
      ...(transport && { transports: [transport] }),
      ...(getToken && { getToken }),
    });
    subscriptionRef.current = subscription;

    const refreshStats = () => dispatch({ type: 'stats', stats: subscription.stats() });
    const unsubscribers = [
      subscription.on('status', (change) => dispatch({ type: 'status', change })),
      subscription.on('event', (event) => {
        dispatch({ type: 'event', event });
        refreshStats();
      }),
      subscription.on('wire', (entry) => {
        dispatch({ type: 'wire', entry });
        refreshStats();
      }),
      subscription.on('reset', ({ cursor }) => dispatch({ type: 'reset', cursor })),
    ];
    const timer = setInterval(refreshStats, STATS_REFRESH_MS);

    return () => {
      clearInterval(timer);
      // Detach first, so the final `closed` status is not dispatched into an unmounted page.
      for (const unsubscribe of unsubscribers) unsubscribe();
      subscription.close();
      if (subscriptionRef.current === subscription) subscriptionRef.current = null;
    };
  }, [mechanism, apiUrl, fallbacks, channel, intervalMs, after, transport, getToken]);

  const setOffline = useCallback((offline: boolean) => {
    subscriptionRef.current?.setOffline(offline);
    dispatch({ type: 'offline', offline });
  }, []);

  return { ...view, setOffline };
}
