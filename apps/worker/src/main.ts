// The message-queue worker as its own process. With QUEUE=memory the API runs its workers
// in-process and this is not needed; with a broker, start as many of these as the load needs.
import { startBullWorker, startRabbitWorker } from '@pushpull/jobs';
import { loadWorkerConfig } from './worker-config';

const log = (message: string) => console.error(`[worker ${process.pid}] ${message}`);

async function main(): Promise<void> {
  const config = loadWorkerConfig(process.env);
  const common = {
    prefix: config.QUEUE_PREFIX,
    concurrency: config.WORKER_CONCURRENCY,
    maxAttempts: config.MAX_ATTEMPTS,
    retryBaseMs: config.RETRY_BASE_MS,
    log,
  };
  const worker =
    config.QUEUE === 'bullmq'
      ? await startBullWorker({
          ...common,
          url: config.REDIS_URL,
          stalledIntervalMs: config.STALLED_INTERVAL_MS,
        })
      : await startRabbitWorker({ ...common, url: config.AMQP_URL });
  log(
    `consuming ${config.QUEUE_PREFIX} jobs on ${config.QUEUE}, ${config.WORKER_CONCURRENCY} at a time`,
  );
  // Stop consuming, hand running jobs back to the broker (they run again elsewhere), exit 0;
  // the same bound as the API's drain, so an orchestrator's stop never waits on a stuck job.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      log(`not drained within SHUTDOWN_TIMEOUT_MS (${config.SHUTDOWN_TIMEOUT_MS} ms)`);
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    void worker.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  log(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
