import {
  freePort,
  startApi,
  startWorker,
  type RunningApi,
  type RunningWorker,
} from '@pushpull/api/testing';
import { startWeb, stopProcess } from './cluster';
import { startProxy } from './nginx';

const READY_TIMEOUT_MS = 30_000;

/** One API instance behind the proxy, with the stop and start a deployment does to it. */
export interface StackInstance {
  port: number;
  /** SIGTERM, as a rolling deploy sends it; resolves with the exit code once it has drained. */
  terminate(): Promise<number | null>;
  /** Starts it again on the same port; resolves once its /api/ready answers 200. */
  restart(): Promise<void>;
  /** The status /api/ready answers on this instance right now (0: nothing listening). */
  readiness(): Promise<number>;
  /** What the process printed so far (for failure reports). */
  output(): string;
}

/** API instances, the web app and nginx in front of them all: one origin, as in production. */
export interface ProxiedStack {
  /** nginx: the one origin pages, the API and socket.io are reached at. */
  origin: string;
  instances: StackInstance[];
  stop(): Promise<void>;
}

export interface StackOptions {
  /** How many API instances nginx balances. */
  instances: number;
  /** The backplane and queue settings (BACKPLANE, REDIS_URL, QUEUE, AMQP_URL …) of every process. */
  env: Record<string, string>;
  /** Starts one apps/worker process too (for QUEUE=rabbitmq or bullmq). */
  worker?: boolean;
}

/**
 * Like `startCluster`, but everything behind nginx (`startProxy`) and with the backplane and queue
 * chosen by the caller, so a test can point them at a Redis or RabbitMQ of its own and restart
 * them. The web app lists the proxy as its only API origin: pages never fail over themselves,
 * nginx does it for them.
 */
export async function startProxiedStack(options: StackOptions): Promise<ProxiedStack> {
  const proxyPort = await freePort();
  const origin = `http://localhost:${proxyPort}`;
  const env = {
    HOST: '127.0.0.1',
    CORS_ORIGINS: origin,
    TRUST_PROXY: '1',
    RETRY_BASE_MS: '100',
    HEARTBEAT_MS: '1000',
    SSE_RETRY_MS: '200',
    ...options.env,
  };

  const instances: Array<StackInstance & { stop(): Promise<void> }> = [];
  for (let i = 0; i < options.instances; i++) instances.push(await startInstance(env));
  const worker: RunningWorker | undefined = options.worker ? await startWorker(env) : undefined;
  const webPort = await freePort();
  const web = await startWeb(webPort, [origin]);
  const proxy = await startProxy({
    apiPorts: instances.map(({ port }) => port),
    webPort,
    port: proxyPort,
  });

  return {
    origin,
    instances,
    stop: async () => {
      await proxy.stop();
      await stopProcess(web);
      await worker?.stop();
      await Promise.all(instances.map((instance) => instance.stop()));
    },
  };
}

async function startInstance(
  env: Record<string, string>,
): Promise<StackInstance & { stop(): Promise<void> }> {
  let api: RunningApi = await startApi(env);
  const { port } = api;
  const readiness = () =>
    fetch(`${api.url}/api/ready`).then(
      (response) => response.status,
      () => 0,
    );
  await waitUntilReady(readiness);
  return {
    port,
    readiness,
    output: () => api.output(),
    terminate: async () => {
      api.signal('SIGTERM');
      return api.exited;
    },
    restart: async () => {
      api = await startApi(env, { port });
      await waitUntilReady(readiness);
    },
    stop: () => api.stop(),
  };
}

/** /api/health answers as soon as the process listens; ready waits for the backplane too. */
async function waitUntilReady(readiness: () => Promise<number>): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while ((await readiness()) !== 200) {
    if (Date.now() > deadline) throw new Error(`not ready within ${READY_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
