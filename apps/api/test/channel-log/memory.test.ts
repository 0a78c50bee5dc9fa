import { MemoryChannelLog } from '../../src/channels/memory-channel-log';
import { describeChannelLogConformance } from './conformance';

// One process: "two instances" are the same log, which is all the memory driver promises.
describeChannelLogConformance('memory', {
  open: async (historySize) => {
    const log = new MemoryChannelLog(historySize);
    return [log, log];
  },
  trimSlack: 0,
  close: async () => undefined,
});
