import { Logger, type INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { OpenConnections } from './channels/open-connections';
import type { AppConfig } from './config/app-config';
import { Draining } from './health/draining';

/** How often idle keep-alive connections are closed while in-flight requests finish. */
const IDLE_SWEEP_MS = 25;

/**
 * The stop sequence of docs/architecture.md ("Shutdown and drain"): not ready at once, serve on for
 * SHUTDOWN_DELAY_MS so the balancer notices, then stop accepting, tell every held connection
 * `closing: shutdown` (long polls get 204), let requests already received finish, and only then
 * run Nest's shutdown (job consumers and the backplane close). Exits 0 when drained, 1 when the
 * SHUTDOWN_TIMEOUT_MS from the signal ran out first.
 */
export function drainOnSignals(app: INestApplication, config: AppConfig): void {
  let draining = false;
  const onSignal = (signal: NodeJS.Signals) => {
    // A second Ctrl-C or SIGTERM changes nothing: the hard timer already bounds the drain.
    if (draining) return;
    draining = true;
    void drain(app, config, signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function drain(app: INestApplication, config: AppConfig, signal: string): Promise<void> {
  const logger = new Logger('drain');
  const hardStop = setTimeout(() => {
    logger.error(`not drained within SHUTDOWN_TIMEOUT_MS (${config.SHUTDOWN_TIMEOUT_MS} ms)`);
    process.exit(1);
  }, config.SHUTDOWN_TIMEOUT_MS);

  app.get(Draining).start();
  logger.log(
    `${signal}: not ready; serving for SHUTDOWN_DELAY_MS (${config.SHUTDOWN_DELAY_MS} ms)`,
  );
  if (config.SHUTDOWN_DELAY_MS > 0) await delay(config.SHUTDOWN_DELAY_MS);

  const server = app.getHttpServer() as Server;
  // `close` stops accepting; its callback waits for every open connection to end.
  const connectionsEnded = new Promise<void>((resolve) => server.close(() => resolve()));
  // Node closes the connections idle right now; a keep-alive one busy with a request becomes idle
  // once its answer is sent, so the sweep repeats until the last one is gone.
  const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  server.closeIdleConnections();
  app.get(OpenConnections).closeAll();
  await connectionsEnded;
  clearInterval(sweep);

  await app.close();
  clearTimeout(hardStop);
  logger.log('drained');
  process.exit(0);
}
