import { freePort } from '@pushpull/api/testing';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/** deploy/nginx/render.mjs: fills this run's addresses into the one config every run uses. */
const RENDER = path.resolve(__dirname, '../../deploy/nginx/render.mjs');
const START_TIMEOUT_MS = 10_000;

/** nginx in front of a cluster: pages and API at one origin, as in production. */
export interface Proxy {
  /** http://localhost:<port> */
  origin: string;
  port: number;
  /** Stops nginx (SIGTERM: at once, cutting open streams) and removes its directory. */
  stop(): Promise<void>;
}

export interface ProxyOptions {
  /** The API instances (on 127.0.0.1) behind /api/ and /socket.io/. */
  apiPorts: number[];
  /** The web app (on 127.0.0.1) behind everything else. */
  webPort: number;
  /** Where nginx listens; a free port by default. */
  port?: number;
}

/**
 * Renders deploy/nginx/pushpull.conf into a temporary directory (its prefix: pid and temp files
 * of its own) and runs `nginx` (NGINX_PATH, else the one on PATH) in the foreground. Resolves once
 * it answers HTTP.
 */
export async function startProxy({ apiPorts, webPort, port }: ProxyOptions): Promise<Proxy> {
  const listenPort = port ?? (await freePort());
  const prefix = await mkdtemp(path.join(tmpdir(), 'pushpull-nginx-'));
  const { stdout: config } = await promisify(execFile)(process.execPath, [
    RENDER,
    '--listen',
    String(listenPort),
    '--web',
    `127.0.0.1:${webPort}`,
    ...apiPorts.flatMap((apiPort) => ['--api', `127.0.0.1:${apiPort}`]),
  ]);
  const configPath = path.join(prefix, 'pushpull.conf');
  await writeFile(configPath, config);

  const child = spawn(
    process.env.NGINX_PATH ?? 'nginx',
    ['-p', prefix, '-c', configPath, '-e', 'stderr', '-g', 'daemon off;'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').catch(() => undefined);
  const spawnError = once(child, 'error').then(([error]) => error as Error);

  const origin = `http://localhost:${listenPort}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(prefix, { recursive: true, force: true });
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const failed = await Promise.race([spawnError, sleep(50).then(() => undefined)]);
    if (failed) {
      await rm(prefix, { recursive: true, force: true });
      throw new Error(
        `could not run nginx (set NGINX_PATH, or apt-get install -y nginx-light): ${failed.message}`,
      );
    }
    if (child.exitCode !== null) {
      await rm(prefix, { recursive: true, force: true });
      throw new Error(`nginx exited with ${child.exitCode} before answering:\n${output}`);
    }
    // Any answer will do (a 502 included: the upstreams may still be starting).
    const answered = await fetch(`${origin}/`, { signal: AbortSignal.timeout(1000) }).then(
      () => true,
      () => false,
    );
    if (answered) return { origin, port: listenPort, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `nginx did not answer on :${listenPort} within ${START_TIMEOUT_MS} ms:\n${output}`,
      );
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
