import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

const MAIN = path.resolve(__dirname, '../../dist/main.js');

export interface RunningWorker {
  output(): string;
  /** Sends `signal` and returns at once (to watch the drain from outside). */
  signal(signal: NodeJS.Signals): void;
  /** The exit code once the process is gone (null when a signal killed it). */
  exited: Promise<number | null>;
  /** SIGKILL, for clean-up after a failure. */
  kill(): Promise<void>;
}

/** Starts the built worker with `env`; resolves once it says it is consuming. */
export async function startWorker(
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<RunningWorker> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
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
  return {
    output: () => output,
    signal: (signal) => child.kill(signal),
    exited,
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
