/** The real Redis the suites run against; `.ci/run` starts it when it does not answer. */
export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
