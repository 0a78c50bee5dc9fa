import type { Closing } from '@pushpull/contracts';
import { describe, expect, it } from 'vitest';
import type { ChannelLog } from '../src/channels/channel-log';
import { OpenConnections, type HeldConnection } from '../src/channels/open-connections';
import type { Metrics } from '../src/metrics/metrics';

// Only what OpenConnections calls on them: counts for /api/connections and the metrics' gauges.
const log = { upstreamCount: () => 0 } as unknown as ChannelLog;
const metrics = { watch: () => undefined } as unknown as Metrics;

function recorder(): HeldConnection & { told: Closing[] } {
  const told: Closing[] = [];
  return { told, close: (closing) => told.push(closing) };
}

describe('OpenConnections.closeAll', () => {
  it('tells every held stream and waiter shutdown', () => {
    const connections = new OpenConnections(log, metrics);
    const [sse, waiter] = [recorder(), recorder()];
    connections.holdStream('sse', sse);
    connections.holdWaiter(waiter);
    connections.closeAll();
    expect([sse.told, waiter.told]).toEqual([
      [expect.objectContaining({ code: 'shutdown' })],
      [expect.objectContaining({ code: 'shutdown' })],
    ]);
  });

  it('tells a connection held after it (a request received before the listener closed)', async () => {
    const connections = new OpenConnections(log, metrics);
    connections.closeAll();
    const [stream, waiter] = [recorder(), recorder()];
    const release = connections.holdStream('streaming', stream);
    connections.holdWaiter(waiter);
    // Not synchronously: the caller must hold its release function before close can call it.
    expect(stream.told).toEqual([]);
    await Promise.resolve();
    expect([stream.told, waiter.told]).toEqual([
      [expect.objectContaining({ code: 'shutdown' })],
      [expect.objectContaining({ code: 'shutdown' })],
    ]);
    release();
    expect(connections.counts().streams.streaming).toBe(0);
  });
});
