// The message-queue worker as its own process. With QUEUE=memory the API runs its workers
// in-process and this is not needed; with a broker, start as many of these as the load needs.
import { startRabbitWorker } from '@pushpull/jobs';
import { loadWorkerConfig } from './worker-config';

const log = (message: string) => console.error(`[worker ${process.pid}] ${message}`);

async function main(): Promise<void> {
  const config = loadWorkerConfig(process.env);
  const worker = await startRabbitWorker({
    url: config.AMQP_URL,
    prefix: config.QUEUE_PREFIX,
    concurrency: config.WORKER_CONCURRENCY,
    maxAttempts: config.MAX_ATTEMPTS,
    retryBaseMs: config.RETRY_BASE_MS,
    log,
  });
  log(`consuming ${config.QUEUE_PREFIX}.jobs on RabbitMQ, ${config.WORKER_CONCURRENCY} at a time`);
  const stop = () => void worker.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
