/** The real servers the suites run against; `.ci/run` starts them when they do not answer. */
export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
export const AMQP_URL = process.env.AMQP_URL || 'amqp://guest:guest@127.0.0.1:5672';
