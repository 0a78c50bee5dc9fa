import { Logger, type INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { ArrivingRequests } from './arriving-requests';
import { OpenConnections } from './channels/open-connections';
import type { AppConfig } from './config/app-config';
import { Draining } from './health/draining';

/** How often idle keep-alive connections are closed while in-flight requests finish. */
const IDLE_SWEEP_MS = 25;
/** After the listener closes, how long a connection may take to deliver its request's headers. */
const IN_FLIGHT_GRACE_MS = 250;
/**
 * How long before the deadline a request still arriving is cut: the second a 408'd socket is given
 * to read its answer, then Nest's own shutdown (consumers, backplane).
 */
const SLOW_BODY_MARGIN_MS = 2500;

/**
 * The stop sequence of docs/architecture.md ("Shutdown and drain"): not ready at once, serve on for
 * SHUTDOWN_DELAY_MS so the balancer notices, then stop accepting, tell every held connection
 * `closing: shutdown` (long polls get 204), let requests already received finish, and only then
 * run Nest's shutdown (job consumers and the backplane close). Exits 0 when drained, 1 when the
 * SHUTDOWN_TIMEOUT_MS from the signal ran out first.
 */
export function drainOnSignals(app: INestApplication, config: AppConfig): void {
  // Counted from the start: a request that began before the signal may still be arriving.
  const arriving = new ArrivingRequests(app.getHttpServer() as Server);
  let draining = false;
  const onSignal = (signal: NodeJS.Signals) => {
    // A second Ctrl-C or SIGTERM changes nothing: the hard timer already bounds the drain.
    if (draining) return;
    draining = true;
    void drain(app, config, arriving, signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function drain(
  app: INestApplication,
  config: AppConfig,
  arriving: ArrivingRequests,
  signal: string,
): Promise<void> {
  const logger = new Logger('drain');
  const deadline = Date.now() + config.SHUTDOWN_TIMEOUT_MS;
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
  // A request still arriving (a body sent slowly, or not at all) would hold the drain until the
  // hard stop: it gets its 408 before the deadline instead. A request fully received is not
  // affected; it runs to its answer.
  const cutSlowBodies = setTimeout(
    () => {
      const cut = arriving.cutIncomplete();
      if (cut > 0) logger.warn(`${cut} request(s) still arriving near the deadline: answered 408`);
    },
    Math.max(0, deadline - Date.now() - SLOW_BODY_MARGIN_MS),
  );
  // Node closes the connections idle right now; a keep-alive one busy with a request becomes idle
  // once its answer is sent, so the sweep repeats until the last one is gone.
  const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  server.closeIdleConnections();
  app.get(OpenConnections).closeAll();
  // A moment first, for a request whose bytes are already on their way to be parsed (it will be
  // answered); then connections still holding no request go.
  const dropIdle = setTimeout(() => arriving.dropWithoutRequest(), IN_FLIGHT_GRACE_MS);
  await connectionsEnded;
  clearInterval(sweep);
  clearTimeout(cutSlowBodies);
  clearTimeout(dropIdle);

  await app.close();
  clearTimeout(hardStop);
  logger.log('drained');
  process.exit(0);
}
