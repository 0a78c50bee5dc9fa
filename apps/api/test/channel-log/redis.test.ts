import type { ChannelLog } from '../../src/channels/channel-log';
import { RedisChannelLog } from '../../src/channels/redis/redis-channel-log';
import { describeChannelLogConformance } from './conformance';
import { deleteBackplaneKeys } from '../../src/testing/start-api';
import { REDIS_URL } from '../support/servers';

// Against the real Redis (127.0.0.1:6379 unless REDIS_URL says otherwise), under a key prefix of
// this run's own, so parallel suites and earlier runs never meet.
const prefix = `test-conformance-${process.pid}-${Date.now()}`;
const opened: ChannelLog[] = [];

describeChannelLogConformance('redis', {
  open: async (historySize, channelTtlS = 3600) => {
    const pair = [0, 1].map(
      () => new RedisChannelLog({ url: REDIS_URL, prefix, historySize, channelTtlS }),
    ) as [RedisChannelLog, RedisChannelLog];
    opened.push(...pair);
    await Promise.all(pair.map((log) => log.connected(5000)));
    return pair;
  },
  // MAXLEN ~ trims whole radix-tree nodes (100 entries by default), never below the bound.
  trimSlack: 100,
  close: async () => {
    await Promise.all(opened.map((log) => log.close()));
    await deleteBackplaneKeys(REDIS_URL, prefix);
  },
});
