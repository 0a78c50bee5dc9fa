// `pnpm dev:cluster`: the scale-out picture on one machine. Two API instances (:4000 and :4001) on
// the Redis backplane, one message-queue worker, the web app (:3000), and nginx on :8080 in front
// of all of them (deploy/nginx/pushpull.conf, one origin for pages and API, as deployed). Without
// nginx installed it runs without the proxy and the web app offers an instance selector instead.
// Needs Redis (and RabbitMQ with QUEUE=rabbitmq); docs/scaling.md says how to start them.
//
// The APIs and the worker run from their builds (two watchers on one source tree would race each
// other's compiles); the web app runs in dev mode. Ctrl-C (or SIGTERM) stops everything: each
// child runs in a process group of its own, so the signal reaches its children too (`pnpm dev`
// starts `next dev`, which starts a server), and this script exits once every group is gone. A
// second Ctrl-C kills them outright.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from 'node:net';
import { renderProxyConfig } from '../deploy/nginx/render.mjs';

const QUEUE = process.env.QUEUE || 'bullmq';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const AMQP_URL = process.env.AMQP_URL || 'amqp://guest:guest@127.0.0.1:5672';
const API_PORTS = [4000, 4001];
const WEB_PORT = 3000;
const WEB_ORIGIN = `http://localhost:${WEB_PORT}`;
const PROXY_PORT = 8080;
const PROXY_ORIGIN = `http://localhost:${PROXY_PORT}`;
const NGINX = process.env.NGINX_PATH || 'nginx';

/** Resolves true when something accepts TCP connections at the URL's host and port. */
function answers(url, defaultPort) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port || defaultPort), hostname);
    // An open probe socket would keep this process alive after its children have gone.
    const settle = (answered) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(1000);
    socket.once('connect', () => settle(true));
    socket.once('error', () => settle(false));
    socket.once('timeout', () => settle(false));
  });
}

async function requireService(name, url, defaultPort) {
  if (await answers(url, defaultPort)) return;
  console.error(`dev:cluster needs ${name} at ${url}, and nothing answers there.`);
  console.error('Start it first: see "Running a cluster" in docs/scaling.md.');
  process.exit(1);
}

await requireService('Redis', REDIS_URL, 6379);
if (QUEUE === 'rabbitmq') await requireService('RabbitMQ', AMQP_URL, 5672);
if (!['bullmq', 'rabbitmq'].includes(QUEUE)) {
  console.error(`dev:cluster runs its worker on a broker: QUEUE=bullmq (default) or rabbitmq`);
  process.exit(1);
}

/** Every child started, each the leader of its own process group (`detached`): a signal sent to
 * `-pid` reaches whatever that child started as well. */
const groups = [];
let stopping = false;

/** Sends the signal to the child's whole group; false when no process of the group is left. */
function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Starts a process in a group of its own; resolves with its exit code. With a name, every line of
 * its output is prefixed with it; without, it writes to this terminal directly. */
function run(name, command, args, options = {}) {
  const output = name ? 'pipe' : 'inherit';
  const child = spawn(command, args, {
    ...options,
    detached: true,
    stdio: ['ignore', output, output],
  });
  groups.push(child);
  if (name) {
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream.on('data', (chunk) => {
        const lines = (rest + chunk.toString()).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) process.stderr.write(`[${name}] ${line}\n`);
      });
    }
  }
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      if (name) process.stderr.write(`[${name}] exited (${signal ?? code})\n`);
      resolve(code ?? 1);
    });
  });
}

/** Forwards the signal to every group, waits until no process of any group is left, then exits. */
async function stopAll(signal) {
  if (stopping) {
    console.error('dev:cluster: killing what is left');
    for (const child of groups) signalGroup(child, 'SIGKILL');
    process.exit(1);
  }
  stopping = true;
  console.error(`dev:cluster: stopping (${signal}); Ctrl-C again to kill at once`);
  for (const child of groups) signalGroup(child, signal);
  while (groups.some((child) => signalGroup(child, 0))) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.exit(0);
}
process.on('SIGINT', () => void stopAll('SIGINT'));
process.on('SIGTERM', () => void stopAll('SIGTERM'));

async function startCluster() {
  console.error('dev:cluster: building the API, the worker and what the web app needs…');
  const buildStatus = await run('', 'pnpm', [
    'exec',
    'turbo',
    'run',
    'build',
    '--filter=@pushpull/api',
    '--filter=@pushpull/worker',
    '--filter=@pushpull/web^...',
  ]);
  if (stopping) return; // stopAll exits once the build is gone
  if (buildStatus !== 0) process.exit(buildStatus);

  const proxied = spawnSync(NGINX, ['-v']).error === undefined;
  if (!proxied)
    console.error(
      `dev:cluster: nginx not found (${NGINX}), running without the proxy on :${PROXY_PORT}. ` +
        'Install it with `apt-get install -y nginx-light` (or set NGINX_PATH).',
    );
  const shared = {
    ...process.env,
    BACKPLANE: 'redis',
    REDIS_URL,
    QUEUE,
    AMQP_URL,
    CORS_ORIGINS:
      process.env.CORS_ORIGINS || [WEB_ORIGIN, ...(proxied ? [PROXY_ORIGIN] : [])].join(','),
    // Behind nginx the client's address is the one it appends to X-Forwarded-For.
    ...(proxied && { TRUST_PROXY: '1' }),
  };
  for (const port of API_PORTS) {
    void run(`api:${port}`, process.execPath, ['dist/main.js'], {
      env: { ...shared, PORT: String(port) },
      cwd: 'apps/api',
    });
  }
  void run('worker', process.execPath, ['dist/main.js'], { env: shared, cwd: 'apps/worker' });
  const apiUrls = proxied
    ? PROXY_ORIGIN
    : API_PORTS.map((port) => `http://localhost:${port}`).join(',');
  void run('web', 'pnpm', ['dev'], { env: { ...process.env, API_URLS: apiUrls }, cwd: 'apps/web' });
  if (proxied) startProxy();
  console.error(
    `dev:cluster: APIs on :${API_PORTS.join(' and :')} (BACKPLANE=redis, QUEUE=${QUEUE}), a worker, ` +
      (proxied
        ? `web on :${WEB_PORT}, all behind nginx at ${PROXY_ORIGIN} — open that. Ctrl-C stops all.`
        : `web on ${WEB_ORIGIN} — pick the instance on any page. Ctrl-C stops all.`),
  );
}

/** nginx on :8080 from deploy/nginx/pushpull.conf, in a directory of its own (pid, temp files). */
function startProxy() {
  const prefix = path.join(tmpdir(), `pushpull-dev-cluster-nginx-${process.pid}`);
  mkdirSync(prefix, { recursive: true });
  const config = path.join(prefix, 'pushpull.conf');
  writeFileSync(
    config,
    renderProxyConfig({
      listenPort: PROXY_PORT,
      webServer: `127.0.0.1:${WEB_PORT}`,
      apiServers: API_PORTS.map((port) => `127.0.0.1:${port}`),
    }),
  );
  // SIGINT/SIGTERM stop nginx at once (open streams are cut; the clients resume by id).
  void run('nginx', NGINX, ['-p', prefix, '-c', config, '-e', 'stderr', '-g', 'daemon off;']);
}

await startCluster();
