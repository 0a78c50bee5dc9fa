import {
  deleteBackplaneKeys,
  freePort,
  startApi,
  startWorker,
  type RunningApi,
  type RunningWorker,
} from '@pushpull/api/testing';
import { deleteRabbitQueues } from '@pushpull/jobs';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { startProxy, type Proxy } from './nginx';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const AMQP_URL = process.env.AMQP_URL || 'amqp://guest:guest@127.0.0.1:5672';
const RETRY_BASE_MS = 100;

/** One API instance of the cluster, as the browser addresses it. */
export interface Instance {
  /** http://localhost:<port>: the origin the web app lists and the browser talks to. */
  origin: string;
  /** SIGKILL: a crash, with every open connection cut. */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
}

export interface Cluster {
  /** The web app of this cluster (its own `next start`, listing both instances in API_URLS). */
  web: string;
  a: Instance;
  b: Instance;
  /** With `proxy: true`: the nginx origin (deploy/nginx/pushpull.conf) serving pages and API. */
  proxy?: string;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /**
   * nginx in front of both instances and the web app, one origin for all, as in production: the
   * APIs trust one proxy hop (TRUST_PROXY=1) and the web app's only API origin is the proxy.
   */
  proxy?: boolean;
  /** Settings for both API instances on top of the cluster's own (limits, HEARTBEAT_MS...). */
  env?: Record<string, string>;
}

/**
 * Two API instances on the Redis backplane, one RabbitMQ worker, and a web app pointing at both
 * — what `pnpm dev:cluster` runs, on free ports and keys of this run's own. B starts first, so it
 * is RabbitMQ's single active consumer of job reports: job events a page on A shows were
 * appended by B.
 */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const prefix = `e2e-cluster-${process.pid}-${Date.now().toString(36)}`;
  const [portA, portB, webPort] = [await freePort(), await freePort(), await freePort()];
  const proxyPort = options.proxy ? await freePort() : undefined;
  const web = `http://localhost:${webPort}`;
  const proxyOrigin = proxyPort === undefined ? undefined : `http://localhost:${proxyPort}`;
  const env = {
    HOST: '0.0.0.0',
    CORS_ORIGINS: [web, proxyOrigin].filter(Boolean).join(','),
    ...(options.proxy && { TRUST_PROXY: '1' }),
    BACKPLANE: 'redis',
    BACKPLANE_PREFIX: prefix,
    REDIS_URL,
    QUEUE: 'rabbitmq',
    QUEUE_PREFIX: prefix,
    AMQP_URL,
    RETRY_BASE_MS: String(RETRY_BASE_MS),
    HEARTBEAT_MS: '1000',
    SSE_RETRY_MS: '200',
    ...options.env,
  };

  const instance = async (port: number): Promise<Instance & { api(): RunningApi }> => {
    let api = await startApi(env, { port });
    return {
      origin: `http://localhost:${port}`,
      api: () => api,
      kill: () => api.kill(),
      restart: async () => {
        api = await startApi(env, { port });
      },
    };
  };
  const b = await instance(portB);
  const a = await instance(portA);
  const worker: RunningWorker = await startWorker(env);
  const webServer = await startWeb(webPort, proxyOrigin ? [proxyOrigin] : [a.origin, b.origin]);
  const proxy: Proxy | undefined =
    proxyPort === undefined
      ? undefined
      : await startProxy({ apiPorts: [portA, portB], webPort, port: proxyPort });

  return {
    web,
    a,
    b,
    proxy: proxy?.origin,
    stop: async () => {
      await proxy?.stop();
      await stopProcess(webServer);
      await worker.stop();
      await Promise.all([a.api().stop(), b.api().stop()]);
      await deleteRabbitQueues(AMQP_URL, prefix, [RETRY_BASE_MS]);
      await deleteBackplaneKeys(REDIS_URL, prefix);
    },
  };
}

/** `next start` of the built web app on `port`, its own process group so it stops whole. */
export async function startWeb(port: number, apiUrls: string[]): Promise<ChildProcess> {
  const child = spawn('pnpm', ['exec', 'next', 'start', '--port', String(port)], {
    cwd: path.resolve(__dirname, '../../apps/web'),
    env: { ...process.env, API_URLS: apiUrls.join(',') },
    stdio: 'ignore',
    detached: true,
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`web exited with ${child.exitCode}`);
    const up = await fetch(`http://localhost:${port}/`).then(
      (response) => response.ok,
      () => false,
    );
    if (up) return child;
    if (Date.now() > deadline) {
      await stopProcess(child);
      throw new Error(`web did not answer on :${port} within 30 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  process.kill(-child.pid!, 'SIGTERM');
  await exited;
}
