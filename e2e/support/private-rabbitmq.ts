import { freePort } from '@pushpull/api/testing';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The scripts themselves: Debian's /usr/sbin wrappers switch to the `rabbitmq` user through `su`,
 * which drops the environment this node is configured by.
 */
const RABBITMQ_BIN = process.env.RABBITMQ_BIN ?? '/usr/lib/rabbitmq/bin';

/**
 * A RabbitMQ node of this test's own (its name, ports, data and cookie in a temp folder): the
 * shared broker at :5672 serves every other suite running at the same time, so a fault is injected
 * here, never there.
 */
export interface PrivateRabbitMq {
  /** amqp://guest:guest@127.0.0.1:<port> (guest may log in from localhost). */
  url: string;
  /**
   * The whole node stops (`rabbitmqctl stop`, waiting for the process to end), as a broker restart
   * or upgrade does: every connection is closed, durable queues and persistent messages stay on
   * disk. Measured here, stop + start takes about 4 + 5 s, against 4 + 8 s for `stop_app` /
   * `start_app`, which also leaves the Erlang VM up and so is the less realistic of the two.
   */
  stop(): Promise<void>;
  /** Starts the node again; resolves once it accepts AMQP connections. */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  dispose(): Promise<void>;
}

export async function startPrivateRabbitMq(): Promise<PrivateRabbitMq> {
  const [port, distPort] = [await freePort(), await freePort()];
  const dir = await mkdtemp(path.join(tmpdir(), 'pushpull-rabbitmq-'));
  const node = `pushpull-e2e-${process.pid}-${Date.now().toString(36)}@localhost`;
  const pidFile = path.join(dir, 'node.pid');
  // The node's own config (the system one binds :5672) and no plugins (management would take :15672).
  await writeFile(path.join(dir, 'rabbitmq.conf'), `listeners.tcp.default = 127.0.0.1:${port}\n`);
  await writeFile(path.join(dir, 'enabled_plugins'), '[].\n');
  await writeFile(path.join(dir, 'rabbitmq-env.conf'), '');
  // HOME holds the Erlang cookie: a fresh one, shared by this node and the CLI calls below.
  const cliEnv = { ...process.env, HOME: dir };
  const serverEnv = {
    ...cliEnv,
    RABBITMQ_NODENAME: node,
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_CONFIG_FILE: path.join(dir, 'rabbitmq.conf'),
    RABBITMQ_CONF_ENV_FILE: path.join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, 'enabled_plugins'),
    RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: path.join(dir, 'log'),
    RABBITMQ_PID_FILE: pidFile,
    ERL_EPMD_ADDRESS: '127.0.0.1',
  };
  let running = false;

  const start = async () => {
    await run(path.join(RABBITMQ_BIN, 'rabbitmq-server'), ['-detached'], {
      env: serverEnv,
      cwd: dir,
    });
    running = true;
    await waitForListener(port);
  };
  const stop = async () => {
    if (!running) return;
    // With the pid file, `stop` returns only once the node's process has exited.
    await run(path.join(RABBITMQ_BIN, 'rabbitmqctl'), ['-n', node, 'stop', pidFile], {
      env: cliEnv,
      cwd: dir,
    });
    running = false;
  };

  await start();
  return {
    url: `amqp://guest:guest@127.0.0.1:${port}`,
    stop,
    start,
    dispose: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** RabbitMQ opens its AMQP listener last, once the broker has booted. */
async function waitForListener(port: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (accepted) return;
    if (Date.now() > deadline) throw new Error(`RabbitMQ did not listen on :${port}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
