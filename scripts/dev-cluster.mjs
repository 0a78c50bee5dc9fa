// `pnpm dev:cluster`: the scale-out picture on one machine. Two API instances (:4000 and :4001) on
// the Redis backplane, one message-queue worker, and the web app (:3000) with an instance selector.
// Needs Redis (and RabbitMQ with QUEUE=rabbitmq); docs/scaling.md says how to start them.
//
// The APIs and the worker run from their builds (two watchers on one source tree would race each
// other's compiles); the web app runs in dev mode. Ctrl-C stops everything.
import { spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';

const QUEUE = process.env.QUEUE || 'bullmq';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const AMQP_URL = process.env.AMQP_URL || 'amqp://guest:guest@127.0.0.1:5672';
const API_PORTS = [4000, 4001];
const WEB_ORIGIN = 'http://localhost:3000';

/** Resolves true when something accepts TCP connections at the URL's host and port. */
function answers(url, defaultPort) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port || defaultPort), hostname);
    socket.setTimeout(1000);
    socket.once('connect', () => resolve(true));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => resolve(false));
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

console.error('dev:cluster: building the API, the worker and what the web app needs…');
const build = spawnSync(
  'pnpm',
  [
    'exec',
    'turbo',
    'run',
    'build',
    '--filter=@pushpull/api',
    '--filter=@pushpull/worker',
    '--filter=@pushpull/web^...',
  ],
  { stdio: 'inherit' },
);
if (build.status !== 0) process.exit(build.status ?? 1);

const shared = {
  ...process.env,
  BACKPLANE: 'redis',
  REDIS_URL,
  QUEUE,
  AMQP_URL,
  CORS_ORIGINS: process.env.CORS_ORIGINS || WEB_ORIGIN,
};
const children = [];

/** Starts a process whose every output line is prefixed with its name. */
function run(name, command, args, env, cwd) {
  const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.on('data', (chunk) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) process.stderr.write(`[${name}] ${line}\n`);
    });
  }
  child.on('exit', (code, signal) => {
    process.stderr.write(`[${name}] exited (${signal ?? code})\n`);
  });
  children.push(child);
  return child;
}

for (const port of API_PORTS) {
  run(
    `api:${port}`,
    process.execPath,
    ['dist/main.js'],
    { ...shared, PORT: String(port) },
    'apps/api',
  );
}
run('worker', process.execPath, ['dist/main.js'], shared, 'apps/worker');
run(
  'web',
  'pnpm',
  ['dev'],
  { ...process.env, API_URLS: API_PORTS.map((port) => `http://localhost:${port}`).join(',') },
  'apps/web',
);
console.error(
  `dev:cluster: APIs on :${API_PORTS.join(' and :')} (BACKPLANE=redis, QUEUE=${QUEUE}), a worker, ` +
    `web on ${WEB_ORIGIN} — pick the instance on any page. Ctrl-C stops all.`,
);

function stopAll() {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
}
process.once('SIGINT', stopAll);
process.once('SIGTERM', stopAll);
