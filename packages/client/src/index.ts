export { fetchHead, fetchJob, publish, submitJob, type ApiCallOptions } from './api';
export {
  DEFAULT_BACKOFF,
  DEFAULT_SHUTDOWN_JITTER_MS,
  fullJitterDelay,
  shutdownJitterDelay,
  type BackoffOptions,
} from './backoff';
export { connect } from './connect';
export { connectShared } from './shared';
export { ClientError, type ClientErrorCode } from './errors';
export { LatencyWindow } from './latency';
export { renewalDelay, tokenExpiry } from './token';
export { LineSplitter, parseFrame } from './ndjson';
export { DEFAULT_POLL_INTERVAL_MS } from './polling';
export { EMPTY_STATS } from './types';
export type {
  ConnectOptions,
  Delivery,
  StatusChange,
  Subscription,
  SubscriptionEvents,
  SubscriptionStats,
  SubscriptionStatus,
  WireEntry,
} from './types';
