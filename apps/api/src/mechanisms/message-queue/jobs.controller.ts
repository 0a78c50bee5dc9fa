// Message queue: the browser submits a job once; workers run it and report back over the broker,
// and progress reaches the browser as events on `job:<id>`. Pick it for work that takes a while.
import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import {
  JOB_TYPES,
  JobInputSchemas,
  JobTypeSchema,
  SubmitJobSchema,
  jobChannel,
  type JobAccepted,
  type JobStatus,
} from '@pushpull/contracts';
import { JobQueue } from '@pushpull/jobs';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { ChannelAccess } from '../../auth/channel-access';
import { streamTokenOf } from '../../auth/request-token';
import { ApiError } from '../../common/api-error';
import { requireJson } from '../../common/content-type';
import { parseOr } from '../../common/parse';
import { WriteRateGuard } from '../../limits/write-rate.guard';
import { JobRecorder } from './job-recorder';

const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

@Controller('jobs')
export class JobsController {
  constructor(
    @Inject(JobQueue) private readonly queue: JobQueue,
    @Inject(JobRecorder) private readonly recorder: JobRecorder,
    @Inject(ChannelAccess) private readonly access: ChannelAccess,
  ) {}

  /** 202: accepted, not done. The answer says where to follow the job. */
  @Post()
  @HttpCode(202)
  @UseGuards(WriteRateGuard)
  async submit(
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<JobAccepted> {
    requireJson(contentType);
    const { type, input } = parseOr(SubmitJobSchema, body, 'invalid_body', 'job');
    const jobType = JobTypeSchema.safeParse(type);
    if (!jobType.success) {
      throw new ApiError(
        'unknown_job_type',
        `Unknown job type "${type.slice(0, 64)}"; known types: ${JOB_TYPES.join(', ')}`,
      );
    }
    const parsedInput = parseOr(
      JobInputSchemas[jobType.data],
      input,
      'invalid_body',
      `${jobType.data} input`,
    );
    // A relay writes to its channel later, from a worker: the writer's token is checked now.
    if ('channel' in parsedInput)
      await this.access.authorize(streamTokenOf(request), parsedInput.channel, 'publish');
    const jobId = randomUUID();
    await this.recorder.record({
      jobId,
      type: 'job.queued',
      data: { type: jobType.data, input: parsedInput },
    });
    await this.queue.submit({ jobId, type: jobType.data, input: parsedInput, attempt: 1 });
    return { jobId, channel: jobChannel(jobId) };
  }

  /** The job's channel folded into one status: the channel is the only source of truth. */
  @Get(':id')
  async status(@Param('id') id: string): Promise<JobStatus> {
    const status = JOB_ID.test(id) ? await this.recorder.status(id) : undefined;
    if (!status)
      throw new ApiError(
        'not_found',
        `No job "${id.slice(0, 64)}" (unknown, or expired after JOB_TTL_S)`,
      );
    return status;
  }
}
