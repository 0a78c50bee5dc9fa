import type { JobMessage, JobReport } from '@pushpull/contracts';
import { JobQueue, WorkerStoppingError, runAttempt } from '@pushpull/jobs';

export interface MemoryQueueOptions {
  concurrency: number;
  maxAttempts: number;
  retryBaseMs: number;
}

/**
 * The zero-set-up driver: a queue and a worker pool inside the API process, with the same retry
 * and dead-letter rules as the broker drivers. Nothing survives a restart — that is what RabbitMQ
 * and BullMQ are for.
 */
export class MemoryJobQueue extends JobQueue {
  private readonly waiting: JobMessage[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly deadLetters: JobMessage[] = [];
  private running = 0;
  private stopping = false;
  private onReport: (report: JobReport) => Promise<void> = async () => undefined;

  constructor(private readonly options: MemoryQueueOptions) {
    super();
  }

  async submit(job: JobMessage): Promise<void> {
    this.waiting.push(job);
    this.pump();
  }

  async consumeReports(onReport: (report: JobReport) => Promise<void>): Promise<void> {
    this.onReport = onReport;
  }

  async close(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  /** Jobs that used up their attempts (for tests and the docs; a broker keeps these in a queue). */
  deadLettered(): readonly JobMessage[] {
    return this.deadLetters;
  }

  private pump(): void {
    while (!this.stopping && this.running < this.options.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift()!;
      this.running += 1;
      void this.work(job).finally(() => {
        this.running -= 1;
        this.pump();
      });
    }
  }

  private async work(job: JobMessage): Promise<void> {
    const outcome = await runAttempt(
      job,
      {
        maxAttempts: this.options.maxAttempts,
        retryBaseMs: this.options.retryBaseMs,
        sleep: (ms) => this.sleep(ms),
      },
      (report) => void this.onReport(report),
    ).catch((error: unknown) => {
      if (error instanceof WorkerStoppingError) return undefined;
      throw error;
    });
    if (outcome?.next === 'retry')
      this.later(outcome.delayMs, () => this.submit({ ...job, attempt: job.attempt + 1 }));
    if (outcome?.next === 'dead-letter') this.deadLetters.push(job);
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.reject(new WorkerStoppingError());
    return new Promise((resolve) => this.later(ms, resolve));
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }
}
