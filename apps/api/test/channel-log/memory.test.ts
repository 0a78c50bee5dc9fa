import { MemoryChannelLog } from '../../src/channels/memory-channel-log';
import { describeChannelLogConformance } from './conformance';

// One process: "two instances" are the same log, which is all the memory driver promises.
describeChannelLogConformance('memory', {
  open: async (historySize, channelTtlS = 3600) => {
    // Swept often, so a channel past its TTL also leaves memory while the test watches.
    const log = new MemoryChannelLog(historySize, {
      channelTtlMs: channelTtlS * 1000,
      sweepMs: 50,
    });
    return [log, log];
  },
  trimSlack: 0,
  close: async () => undefined,
});
