import { Redis } from 'ioredis';

/** BullMQ queue names from one prefix (BullMQ forbids ':' in names, so '-' joins them). */
export function bullQueueNames(prefix: string) {
  return { jobs: `${prefix}-jobs`, reports: `${prefix}-job-reports` };
}

/** BullMQ blocks on Redis: it needs `maxRetriesPerRequest: null` so commands wait out a reconnect. */
export function bullConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null });
}
