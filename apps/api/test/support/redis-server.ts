import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../src/testing/start-api';

/**
 * A Redis server of the test's own (Debian's `redis-server`, which `.ci/run` installs), so a
 * test can kill and restart it without touching the shared Redis other suites are using.
 */
export interface PrivateRedis {
  url: string;
  /** SIGKILL: no goodbye to clients, as a crash or a lost network looks to them. */
  kill(): Promise<void>;
  /** Starts it again on the same port (and, when persistent, the same data). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPrivateRedis(options: { persistent: boolean }): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'pushpull-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    // With an fsync per write, a SIGKILL loses nothing: the restart test can rely on the data.
    ...(options.persistent
      ? ['--appendonly', 'yes', '--appendfsync', 'always']
      : ['--appendonly', 'no']),
  ];
  let child: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;

  const start = async () => {
    child = spawn('redis-server', args, { stdio: 'ignore' });
    // Retries until the server listens; resolves on its first answer.
    const probe = new Redis(url, { retryStrategy: () => 50, maxRetriesPerRequest: null });
    probe.on('error', () => undefined);
    await probe.ping();
    probe.disconnect();
  };
  const kill = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url,
    kill,
    start,
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
