import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';

/**
 * Starts the built API (dist/main.js) as its own process on a free port, for integration tests,
 * client tests and the bench: the real server, not an in-process stand-in. Resolves once
 * /api/health answers.
 */
export interface RunningApi {
  /** e.g. http://127.0.0.1:43121 */
  url: string;
  port: number;
  /** Everything the server printed so far (for assertions on its log and for failure reports). */
  output(): string;
  /** SIGTERM: a graceful shutdown (streams get a `closing` frame). */
  stop(): Promise<void>;
  /** SIGKILL: a crash, as clients and the load balancer see one. */
  kill(): Promise<void>;
  /** Sends `signal` and returns at once (to watch the drain from outside). */
  signal(signal: NodeJS.Signals): void;
  /** The exit code once the process is gone (null when a signal killed it). */
  exited: Promise<number | null>;
}

const MAIN = path.resolve(__dirname, '../../dist/main.js');

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

export interface StartOptions {
  /** A fixed port (e.g. one a client is already retrying against); a free one by default. */
  port?: number;
  /** Runs the API under another command, e.g. `['taskset', '-c', '0']` to pin it to a core. */
  wrap?: string[];
  timeoutMs?: number;
}

export async function startApi(
  env: Record<string, string> = {},
  options: StartOptions = {},
): Promise<RunningApi> {
  const port = options.port ?? (await freePort());
  const timeoutMs = options.timeoutMs ?? 20_000;
  const [command, ...args] = [...(options.wrap ?? []), process.execPath, MAIN];
  const child = spawn(command!, args, {
    env: { ...process.env, HOST: '127.0.0.1', ...env, PORT: String(port), NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  const exitCode = exited.then(([code]) => code as number | null);

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`API exited with ${child.exitCode} before answering:\n${output}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`API did not answer /api/health within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await exited;
  };
  return {
    url,
    port,
    output: () => output,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    signal: (signal) => child.kill(signal),
    exited: exitCode,
  };
}

/** Runs the API with `env` and waits for it to exit: for start-up failures (bad config). */
export function runApiExpectingExit(env: Record<string, string>) {
  return runExpectingExit(MAIN, { HOST: '127.0.0.1', PORT: '0', ...env });
}

/** Runs an apps/worker process with `env` and waits for it to exit (bad config). */
export function runWorkerExpectingExit(env: Record<string, string>) {
  return runExpectingExit(require.resolve('@pushpull/worker'), env);
}

async function runExpectingExit(
  main: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

export interface RunningWorker {
  pid: number;
  output(): string;
  /** SIGTERM and wait; `kill('SIGKILL')` for a crash. */
  stop(): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Starts an apps/worker process (for the broker drivers); resolves once it consumes. */
export async function startWorker(
  env: Record<string, string>,
  timeoutMs = 20_000,
  /** e.g. `['taskset', '-c', '0']`, like `startApi`'s `wrap`. */
  wrap: string[] = [],
): Promise<RunningWorker> {
  const [command, ...args] = [...wrap, process.execPath, require.resolve('@pushpull/worker')];
  const child = spawn(command!, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  const deadline = Date.now() + timeoutMs;
  while (!output.includes('consuming')) {
    if (child.exitCode !== null)
      throw new Error(`worker exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`worker did not start within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    await exited;
  };
  return { pid: child.pid!, output: () => output, stop: () => kill('SIGTERM'), kill };
}

/** Removes a test run's backplane keys (`<prefix>:*`) from Redis; SCAN, never KEYS. */
export async function deleteBackplaneKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
