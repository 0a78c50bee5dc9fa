import { freePort } from '@pushpull/api/testing';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A `redis-server` of this test's own, on a free port: the shared one at :6379 serves every other
 * suite running at the same time, so a fault is injected here, never there.
 */
export interface PrivateRedis {
  url: string;
  /** SIGTERM, as a restart or an orchestrator stops it; resolves once the process is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data folder; resolves once it answers PING. */
  start(): Promise<void>;
  /** Stops it and removes its data folder. */
  dispose(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'pushpull-redis-'));
  // The append-only file keeps the streams across a restart, as a production Redis under a
  // backplane is configured to (AOF or snapshots): without it a restart would come back empty and
  // the test would be about lost history, not about an outage. `--save ''`: the AOF is enough.
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir];
  args.push('--appendonly', 'yes', '--save', '', '--daemonize', 'no');
  let server: ChildProcess | undefined;

  const start = async () => {
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    server = child;
    await waitForPong(port, child);
  };
  const stop = async () => {
    const child = server;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM'); // Redis flushes the AOF and exits 0
    await exited;
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    stop,
    start,
    dispose: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** PING until PONG: while it loads the AOF Redis answers `LOADING` instead. */
async function waitForPong(port: number, child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    const answer = await run('redis-cli', ['-p', String(port), 'ping']).then(
      ({ stdout }) => stdout.trim(),
      () => '',
    );
    if (answer === 'PONG') return;
    if (Date.now() > deadline) throw new Error(`redis-server did not answer on :${port}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
