import { DEFAULT_MAX_EVENT_BYTES } from '@pushpull/contracts';
import {
  ConfigError,
  QUEUE_DRIVERS,
  QueueConfigSchema,
  loadEnv,
  wholeNumber,
} from '@pushpull/jobs';
import {
  DEVELOPMENT_STREAM_TOKEN_SECRET,
  MIN_STREAM_TOKEN_SECRET_BYTES,
} from '@pushpull/stream-tokens';
import { z } from 'zod';
import { LimitsConfigSchema } from './limits-config';

/** A browser's Origin header is exactly `scheme://host[:port]`; anything else never matches. */
function isExactOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false; // not a URL at all: the url check reports it
  }
}

const origins = z.preprocess(
  (value) => (value === '' || value === undefined ? 'http://localhost:3000' : value),
  z
    .string()
    .transform((list) =>
      list
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z
            .url('each origin must be a URL like http://localhost:3000')
            .refine(
              isExactOrigin,
              'each origin must be scheme://host[:port] with no path, like a browser sends it',
            ),
        )
        .min(1),
    ),
);

/**
 * Every setting the API reads, validated once at start. Each time constant is here so tests can
 * shrink it; nothing else in the API touches `process.env`. `REDIS_URL` (in the queue settings)
 * serves the Redis backplane too.
 */
export const AppConfigSchema = z.object({
  PORT: wholeNumber(4000, 0, 65535),
  HOST: z.string().default('0.0.0.0'),
  CORS_ORIGINS: origins,
  MAX_EVENT_BYTES: wholeNumber(DEFAULT_MAX_EVENT_BYTES, 256, 1024 * 1024),
  HISTORY_SIZE: wholeNumber(1000, 1, 1_000_000),
  /** Memory backplane: every channel's events together, counted as V8 holds them (see decisions). */
  MAX_RETAINED_BYTES: wholeNumber(256 * 1024 * 1024, 16 * 1024, 2 ** 40),
  /** A channel not written for this long is forgotten (memory: a sweep; Redis: EXPIRE). */
  CHANNEL_TTL_S: wholeNumber(86_400, 1, 365 * 86_400),
  /** Channel log driver: `memory` (one process) or `redis` (Redis Streams, shared by instances). */
  BACKPLANE: z.enum(['memory', 'redis']).default('memory'),
  /** Names every Redis key of the backplane, so deployments and parallel test runs never share one. */
  BACKPLANE_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9._:-]{1,64}$/, 'letters, digits, ".", "_", ":" or "-"')
    .default('pushpull'),
  /** After SIGTERM/SIGINT: not ready, but serving on this long so the balancer takes us out. */
  SHUTDOWN_DELAY_MS: wholeNumber(0, 0, 3_600_000),
  /** The whole drain, from the signal, ends within this; past it the process exits 1. */
  SHUTDOWN_TIMEOUT_MS: wholeNumber(10_000, 100, 3_600_000),
  /** A heartbeat on idle streams keeps proxies and load balancers from closing them as dead. */
  HEARTBEAT_MS: wholeNumber(15_000, 10, 3_600_000),
  /** The longest a long-poll request is held; clients asking for more get this. */
  LONG_POLL_MAX_WAIT_S: wholeNumber(30, 1, 3600),
  /** A stream whose unsent bytes pass this is cut with `closing: slow_consumer`; it resumes by id. */
  SLOW_READER_MAX_BYTES: wholeNumber(1024 * 1024, 1024, 1024 * 1024 * 1024),
  /** The `retry:` hint of SSE: how long a browser waits before its own reconnect. */
  SSE_RETRY_MS: wholeNumber(2000, 0, 3_600_000),
  /** Queue driver: `memory` (workers inside the API), `rabbitmq` or `bullmq` (apps/worker processes). */
  QUEUE: z.enum(QUEUE_DRIVERS).default('memory'),
  /** Broker URLs, queue names, attempts, retry delays: the same schema the worker reads. */
  ...QueueConfigSchema.shape,
  /** A job's channel is forgotten this long after its last event. */
  JOB_TTL_S: wholeNumber(3600, 1, 30 * 24 * 3600),
  /**
   * HS256 key of the stream tokens that open `private:` channels. Unset, `pnpm dev` uses a public
   * development default so the demo works; with NODE_ENV=production the API refuses to start.
   */
  STREAM_TOKEN_SECRET: z.preprocess(
    (value) => (value === '' || value === undefined ? DEVELOPMENT_STREAM_TOKEN_SECRET : value),
    z
      .string()
      .refine(
        (secret) => Buffer.byteLength(secret) >= MIN_STREAM_TOKEN_SECRET_BYTES,
        `must be at least ${MIN_STREAM_TOKEN_SECRET_BYTES} bytes (e.g. openssl rand -base64 48)`,
      ),
  ),
  NODE_ENV: z.string().default('development'),
  /** Write rate, held connections, channels per socket, slow requests, ops token. */
  ...LimitsConfigSchema.shape,
});
export type AppConfig = z.infer<typeof AppConfigSchema>;

/** Injection token for the validated config. */
export const APP_CONFIG = Symbol('AppConfig');

/** Validates the environment; throws a ConfigError whose message is one line naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const config = loadEnv(AppConfigSchema, env);
  if (config.NODE_ENV === 'production' && usesDevelopmentSecret(config))
    throw new ConfigError(
      'Invalid configuration: STREAM_TOKEN_SECRET is required when NODE_ENV=production (at least 32 bytes; the development default is public)',
    );
  // The timeout runs from the signal and includes the delay: a delay as long would make every
  // drain end in exit 1, which an orchestrator reads as a failed shutdown.
  if (config.SHUTDOWN_DELAY_MS >= config.SHUTDOWN_TIMEOUT_MS)
    throw new ConfigError(
      `Invalid configuration: SHUTDOWN_DELAY_MS (${config.SHUTDOWN_DELAY_MS}) must be below SHUTDOWN_TIMEOUT_MS (${config.SHUTDOWN_TIMEOUT_MS}), which counts from the signal`,
    );
  return config;
}

export function usesDevelopmentSecret(config: AppConfig): boolean {
  return config.STREAM_TOKEN_SECRET === DEVELOPMENT_STREAM_TOKEN_SECRET;
}
