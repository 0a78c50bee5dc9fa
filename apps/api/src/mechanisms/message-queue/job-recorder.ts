import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  applyJobEvent,
  foldJobEvents,
  jobChannel,
  type JobReport,
  type JobStatus,
} from '@pushpull/contracts';
import { ChannelLog } from '../../channels/channel-log';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { Metrics } from '../../metrics/metrics';

/**
 * Appends job reports to `job:<id>` through the job state machine: a report the current status
 * does not accept (a second `job.completed` from a redelivered job, progress going backwards) is
 * dropped, so the channel tells each job's story exactly once. Reports of one job are applied one
 * at a time, in arrival order.
 */
@Injectable()
export class JobRecorder {
  private readonly logger = new Logger(JobRecorder.name);
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    @Inject(ChannelLog) private readonly log: ChannelLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  record(report: JobReport): Promise<void> {
    const previous = this.queues.get(report.jobId) ?? Promise.resolve();
    const current = previous
      .then(() => this.apply(report))
      .catch((error: unknown) => {
        this.logger.error(`job ${report.jobId}: ${String(error)}`);
      });
    this.queues.set(report.jobId, current);
    void current.then(
      () => this.queues.get(report.jobId) === current && this.queues.delete(report.jobId),
    );
    return current;
  }

  /** The job's channel folded into its status; undefined for an unknown (or expired) job. */
  async status(jobId: string): Promise<JobStatus | undefined> {
    const { events } = await this.log.readAll(jobChannel(jobId), undefined);
    return foldJobEvents(jobId, events);
  }

  private async apply(report: JobReport): Promise<void> {
    const channel = jobChannel(report.jobId);
    const previous = await this.status(report.jobId);
    const next = applyJobEvent(previous, report, {
      jobId: report.jobId,
      channel,
      ts: Date.now(),
    });
    if (!next) return;
    await this.log.publish(channel, { type: report.type, data: report.data });
    if (next.state !== previous?.state) this.metrics.jobEntered(next.state);
    await this.log.expire(channel, this.config.JOB_TTL_S);
    // Tied to the one accepted completion, so a relay job publishes once however often it runs.
    if (report.type === 'job.completed' && report.relay) {
      const { channel: target, ...body } = report.relay;
      await this.log.publish(target, body);
    }
  }
}
