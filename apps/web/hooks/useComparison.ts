import { LatencyWindow, connect, fetchHead, type Subscription } from '@pushpull/client';
import { MECHANISM_IDS, type MechanismId } from '@pushpull/contracts';
import { useCallback, useEffect, useReducer, useRef } from 'react';
import { viaQueueChannel } from '@/lib/compare-params';
import { fallbackUrls } from '@/lib/fallback-urls';
import {
  INITIAL_COMPARISON,
  compareDataOf,
  reduceComparison,
  type ComparisonView,
  type PaneSample,
} from './comparison-view';

/** Counters and chart points are read together, once a second, so they always agree. */
const SAMPLE_MS = 1000;
/** The latency chart's line: p50 over each pane's most recent events (steady, yet it moves). */
const RECENT_EVENTS = 20;

export interface ComparisonTarget {
  apiUrl: string;
  /** Other origins of the same cluster, space-separated (see lib/fallback-urls). */
  fallbacks?: string;
  channel: string;
  /** The polling pane's interval. */
  intervalMs: number;
}

export interface ComparisonState extends ComparisonView {
  /** Applies the offline toggle to all six subscriptions at once. */
  setOffline(offline: boolean): void;
}

interface Pane {
  subscription: Subscription;
  /** End-to-end latency of live events: all of them (pane's p50/p95) and the most recent (chart). */
  all: LatencyWindow;
  recent: LatencyWindow;
}

/** Where to start: after each channel's head, so the comparison shows only what is sent from now. */
async function headOrOldest(apiUrl: string, channel: string): Promise<string | undefined> {
  // A head that cannot be read (bad channel name, API down) leaves the subscription to report why.
  return fetchHead(apiUrl, channel).then(
    ({ head }) => head,
    () => undefined,
  );
}

/**
 * All six mechanisms on one channel, side by side: a plain `connect()` per mechanism (six
 * different wires, so nothing to share), the message-queue pane on the relay channel, and a
 * one-second sampler feeding the counters and the charts.
 */
export function useComparison({
  apiUrl,
  fallbacks = '',
  channel,
  intervalMs,
}: ComparisonTarget): ComparisonState {
  const [view, dispatch] = useReducer(reduceComparison, INITIAL_COMPARISON);
  const panes = useRef(new Map<MechanismId, Pane>());
  const offline = useRef(false);

  useEffect(() => {
    dispatch({ type: 'restart' });
    offline.current = false;
    const open = panes.current;
    const detachers: Array<() => void> = [];
    let stopped = false;

    const follow = (mechanism: MechanismId, target: string, after: string | undefined) => {
      const subscription = connect(mechanism, {
        baseUrl: apiUrl,
        fallbackUrls: fallbackUrls(fallbacks),
        channel: target,
        after,
        intervalMs,
      });
      if (offline.current) subscription.setOffline(true);
      const pane: Pane = {
        subscription,
        all: new LatencyWindow(),
        recent: new LatencyWindow(RECENT_EVENTS),
      };
      open.set(mechanism, pane);
      detachers.push(
        subscription.on('status', (change) => dispatch({ type: 'status', mechanism, change })),
        subscription.on('event', (event, delivery) => {
          const sent = compareDataOf(event);
          // The same rule as the counters: what a pane caught up on after offline is not latency.
          if (sent && !delivery.replayed) {
            const ms = Math.max(0, Date.now() - sent.sentAt);
            pane.all.add(ms);
            pane.recent.add(ms);
          }
          dispatch({
            type: 'event',
            mechanism,
            received: { id: event.id, seq: sent?.seq },
            endToEnd: { p50: pane.all.percentile(50), p95: pane.all.percentile(95) },
            stats: subscription.stats(),
          });
        }),
      );
    };

    void Promise.all([
      headOrOldest(apiUrl, channel),
      headOrOldest(apiUrl, viaQueueChannel(channel)),
    ]).then(([after, afterViaQueue]) => {
      if (stopped) return;
      for (const mechanism of MECHANISM_IDS) {
        if (mechanism === 'message-queue')
          follow(mechanism, viaQueueChannel(channel), afterViaQueue);
        else follow(mechanism, channel, after);
      }
      dispatch({ type: 'ready' });
    });

    const timer = setInterval(() => {
      if (open.size === 0) return;
      const sampled = Object.fromEntries(
        MECHANISM_IDS.map((id): [MechanismId, PaneSample] => {
          const pane = open.get(id);
          return [
            id,
            pane
              ? { stats: pane.subscription.stats(), recentLatency: pane.recent.percentile(50) }
              : { stats: INITIAL_COMPARISON.panes[id].stats },
          ];
        }),
      ) as Record<MechanismId, PaneSample>;
      dispatch({ type: 'sample', t: Date.now() / 1000, panes: sampled });
    }, SAMPLE_MS);

    return () => {
      stopped = true;
      clearInterval(timer);
      // Detach first, so the final `closed` statuses are not dispatched into an unmounted page.
      for (const detach of detachers) detach();
      for (const { subscription } of open.values()) subscription.close();
      open.clear();
    };
  }, [apiUrl, fallbacks, channel, intervalMs]);

  const setOffline = useCallback((value: boolean) => {
    offline.current = value;
    for (const { subscription } of panes.current.values()) subscription.setOffline(value);
    dispatch({ type: 'offline', offline: value });
  }, []);

  return { ...view, setOffline };
}
