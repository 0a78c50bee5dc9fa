import { ClientError, publish, submitJob } from '@pushpull/client';
import { useCallback, useEffect, useRef, useState } from 'react';
import { viaQueueChannel } from '@/lib/compare-params';
import type { CompareData } from './comparison-view';

export const MAX_RATE = 50;
/** Leaves room for the relay job's wrapper under the API's default MAX_EVENT_BYTES (16 KiB). */
export const MAX_PAYLOAD_BYTES = 16_000;
/**
 * Sends waiting in the browser before a tick is skipped: when the API (or the network) cannot keep
 * up with the rate, the publisher slows down instead of queueing without bound.
 */
const MAX_WAITING = 10;

export interface PublisherState {
  /** Events sent (published and relayed) since the page opened the channel. */
  sent: number;
  /** Ticks skipped because MAX_WAITING sends were still waiting. */
  skipped: number;
  running: boolean;
  /** Sends queued or in flight: 0 once everything asked for has been sent (or refused). */
  waiting: number;
  error?: ClientError;
  publishOne(payloadBytes: number): void;
  start(ratePerS: number, payloadBytes: number): void;
  stop(): void;
}

const clamp = (value: number, max: number) =>
  Number.isFinite(value) ? Math.min(max, Math.max(0, Math.round(value))) : 0;

/**
 * Sends `{ seq, sentAt, pad }` events, one at a time and in seq order: each is published on the
 * channel and, at the same moment, submitted as a `relay` job for the message-queue pane's channel.
 * One at a time, because two publishes in flight together may be stored in either order.
 */
export function usePublisher(apiUrl: string, channel: string): PublisherState {
  const [sent, setSent] = useState(0);
  const [skipped, setSkipped] = useState(0);
  const [rate, setRate] = useState<number>();
  const [error, setError] = useState<ClientError>();
  const nextSeq = useRef(1);
  const waiting = useRef(0);
  const [waitingCount, setWaitingCount] = useState(0);
  const chain = useRef(Promise.resolve());
  const payload = useRef(0);

  // A new channel starts a new sequence, with the publisher stopped.
  useEffect(() => {
    nextSeq.current = 1;
    waiting.current = 0;
    chain.current = Promise.resolve();
    setSent(0);
    setSkipped(0);
    setWaitingCount(0);
    setRate(undefined);
    setError(undefined);
  }, [apiUrl, channel]);

  const enqueue = useCallback(() => {
    if (waiting.current >= MAX_WAITING) {
      setSkipped((count) => count + 1);
      return;
    }
    const seq = nextSeq.current++;
    waiting.current += 1;
    setWaitingCount(waiting.current);
    chain.current = chain.current.then(async () => {
      // Stamped when it leaves, so time spent waiting in this queue is not counted as latency.
      const data: CompareData = { seq, sentAt: Date.now(), pad: 'x'.repeat(payload.current) };
      try {
        await Promise.all([
          publish(apiUrl, channel, { type: 'compare', data }),
          submitJob(apiUrl, 'relay', { channel: viaQueueChannel(channel), type: 'compare', data }),
        ]);
        setSent((count) => count + 1);
        setError(undefined);
      } catch (failure) {
        setError(ClientError.from(failure));
        setRate(undefined); // a refused publish would be refused again: stop the stream
      } finally {
        waiting.current -= 1;
        setWaitingCount(waiting.current);
      }
    });
  }, [apiUrl, channel]);

  useEffect(() => {
    if (!rate) return;
    const timer = setInterval(enqueue, 1000 / rate);
    return () => clearInterval(timer);
  }, [rate, enqueue]);

  const publishOne = useCallback(
    (payloadBytes: number) => {
      payload.current = clamp(payloadBytes, MAX_PAYLOAD_BYTES);
      enqueue();
    },
    [enqueue],
  );

  const start = useCallback((ratePerS: number, payloadBytes: number) => {
    payload.current = clamp(payloadBytes, MAX_PAYLOAD_BYTES);
    setRate(clamp(ratePerS, MAX_RATE) || undefined);
  }, []);

  const stop = useCallback(() => setRate(undefined), []);

  return {
    sent,
    skipped,
    running: rate !== undefined,
    waiting: waitingCount,
    error,
    publishOne,
    start,
    stop,
  };
}
