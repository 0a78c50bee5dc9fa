// The peers: servers that are not pushpull, loaded like it to say where it stands — nchan (C, on
// nginx), better-sse and a bare socket.io server. Each starts pinned like the API (taskset on the
// API's core), answers the API's publish path, and stops by its PID. Nothing is installed here: a
// peer whose software is missing says how to get it.
import { freePort } from '@pushpull/api/testing';
import type { MechanismId } from '@pushpull/contracts';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Pinning } from '../load-workers';
import { childPids, processTreeStats, type ProcessStats } from './process-stats';

export type PeerId = 'nchan' | 'better-sse' | 'socket.io';

/**
 * How a subscriber reaches a peer over one wire. Every peer takes publishes at the API's path,
 * `POST /api/channels/<channel>/events` with the JSON `{ type, data }`; any 2xx is success (nchan
 * answers 201, or 202 when nobody is subscribed, with its own channel info rather than the event).
 */
export interface PeerWire {
  /** What the subscriber speaks. */
  wire: 'sse' | 'long-poll' | 'websocket' | 'socket.io';
  /** The pushpull mechanism whose row this one stands beside. */
  like: MechanismId;
  /** The subscribe path for a channel, relative to the base URL (socket.io: its namespace). */
  path: (channel: string) => string;
}

export interface Peer {
  id: PeerId;
  /** What it is, for the report. */
  title: string;
  wires: PeerWire[];
  /** Why it cannot run here, and how to install it; undefined when it can. */
  unavailable: () => string | undefined;
}

export interface RunningPeer {
  baseUrl: string;
  /** The PID taskset pinned (nginx's master; its worker inherits the pinning). */
  pid: number;
  /** CPU and RSS of the process and its children (nginx's worker does the work). */
  stats: () => ProcessStats;
  stop: () => Promise<void>;
}

const channelPath = (prefix: string) => (channel: string) =>
  `/api/${prefix}/${encodeURIComponent(channel)}`;

export const NCHAN_INSTALL = 'apt-get install -y nginx-light libnginx-mod-nchan';
const NGINX = process.env.NGINX_PATH ?? 'nginx';
/** Debian's path; the config's `load_module` is rendered with this. */
const NCHAN_MODULE = process.env.NCHAN_MODULE_PATH ?? '/usr/lib/nginx/modules/ngx_nchan_module.so';
/** From dist/peers/ (or src/peers/) to apps/bench/peers/nchan.conf. */
const NCHAN_CONF = path.join(__dirname, '..', '..', 'peers', 'nchan.conf');

function nchanUnavailable(): string | undefined {
  const nginx = spawnSync(NGINX, ['-v'], { stdio: 'ignore' });
  if (nginx.error || nginx.status !== 0)
    return `no nginx (${NGINX}); install nginx and nchan with: ${NCHAN_INSTALL}`;
  if (!existsSync(NCHAN_MODULE))
    return `no nchan module at ${NCHAN_MODULE}; install it with: ${NCHAN_INSTALL} (or set NCHAN_MODULE_PATH)`;
  return undefined;
}

export const PEERS: Record<PeerId, Peer> = {
  nchan: {
    id: 'nchan',
    title: 'nchan (nginx module, C)',
    wires: [
      { wire: 'sse', like: 'sse', path: channelPath('sse') },
      { wire: 'long-poll', like: 'long-polling', path: channelPath('long-poll') },
      { wire: 'websocket', like: 'websocket', path: channelPath('ws') },
    ],
    unavailable: nchanUnavailable,
  },
  'better-sse': {
    id: 'better-sse',
    title: 'better-sse (Node)',
    wires: [{ wire: 'sse', like: 'sse', path: channelPath('sse') }],
    unavailable: () => undefined,
  },
  'socket.io': {
    id: 'socket.io',
    title: 'bare socket.io (Node)',
    wires: [{ wire: 'socket.io', like: 'websocket', path: () => '/realtime' }],
    unavailable: () => undefined,
  },
};

const START_TIMEOUT_MS = 10_000;

/** Starts a peer on the API's core; throws if it is unavailable or does not come up. */
export async function startPeer(id: PeerId, pinning: Pinning): Promise<RunningPeer> {
  const reason = PEERS[id].unavailable();
  if (reason) throw new Error(`${id} unavailable: ${reason}`);
  if (id === 'nchan') return startNchan(pinning);
  const script = id === 'better-sse' ? 'better-sse-server.js' : 'socket-io-server.js';
  return startNodeServer(path.join(__dirname, script), pinning);
}

/**
 * A Node server from its built script (a Node peer, or a baseline), on the API's core: up once it
 * prints `listening on <port>` on stderr, stopped by its PID.
 */
export async function startNodeServer(script: string, pinning: Pinning): Promise<RunningPeer> {
  const [command, ...args] = [...pinning.api, process.execPath, script];
  const child = spawn(command!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${path.basename(script)} did not start:\n${output}`)),
      START_TIMEOUT_MS,
    );
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${path.basename(script)} exited with ${code}:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    await stopChild(child);
    throw error;
  });
  return running(child, `http://127.0.0.1:${port}`, () => stopChild(child));
}

/**
 * Renders apps/bench/peers/nchan.conf into a directory of its own (nginx's `-p` prefix: its pid,
 * temp files) and runs nginx in the foreground, so the PID spawned is the master's.
 */
async function startNchan(pinning: Pinning): Promise<RunningPeer> {
  const port = await freePort();
  const prefix = await mkdtemp(path.join(tmpdir(), 'pushpull-nchan-'));
  // nginx run as root gives its worker to `nobody`, which must reach the temp directories.
  await chmod(prefix, 0o755);
  await mkdir(path.join(prefix, 'tmp'));
  const config = (await readFile(NCHAN_CONF, 'utf8'))
    .replaceAll('@PORT@', String(port))
    .replaceAll('@NCHAN_MODULE@', NCHAN_MODULE);
  const configPath = path.join(prefix, 'nchan.conf');
  await writeFile(configPath, config);

  const [command, ...args] = [
    ...pinning.api,
    NGINX,
    '-p',
    prefix,
    '-c',
    configPath,
    '-e',
    'stderr',
  ];
  const child = spawn(command!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    await stopChild(child);
    await rm(prefix, { recursive: true, force: true });
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  // Up once the publisher location answers (a GET there is nchan's channel info: 404 or 200).
  while (child.exitCode === null) {
    const answered = await fetch(`${baseUrl}/api/channels/up/events`, {
      signal: AbortSignal.timeout(1000),
    }).then(
      () => true,
      () => false,
    );
    if (answered) return running(child, baseUrl, stop);
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error(`nchan (nginx) did not answer on :${port}:\n${output}`);
}

function running(child: ChildProcess, baseUrl: string, stop: () => Promise<void>): RunningPeer {
  const pid = child.pid!;
  return { baseUrl, pid, stats: () => processTreeStats(pid), stop };
}

/**
 * SIGTERM (nginx: fast shutdown, open streams cut), then SIGKILL if it lingers — its children
 * first, by PID, since an nginx worker outlives a killed master.
 */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const pid of childPids(child.pid!)) process.kill(pid, 'SIGKILL');
    child.kill('SIGKILL');
  }, 5000);
  await exited;
  clearTimeout(timer);
}
