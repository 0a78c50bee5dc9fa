// First, before anything slow loads: a stop signal during start-up exits 0 (see the module).
import { stopExitingOnEarlySignals } from './early-signals';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError } from '@pushpull/jobs';
import { loadConfig, usesDevelopmentSecret } from './config/app-config';
import { createApp } from './create-app';
import { drainOnSignals } from './drain';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await createApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
  // Instead of Nest's shutdown hooks: the drain runs them itself, after the listener is closed.
  drainOnSignals(app, config);
  // In this order: removing the last listener of a signal stops Node's watch of it, and a signal
  // that arrived during start-up and is not yet dispatched would be lost.
  stopExitingOnEarlySignals();
  const { port } = app.getHttpServer().address() as { port: number };
  const logger = new Logger('pushpull');
  logger.log(`API listening on http://localhost:${port}`);
  if (usesDevelopmentSecret(config))
    logger.warn(
      'STREAM_TOKEN_SECRET is unset: private channels use the public development secret (refused when NODE_ENV=production)',
    );
}

main().catch((error: unknown) => {
  // A bad setting is the operator's to fix: one line naming it, no stack trace.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
