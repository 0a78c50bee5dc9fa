import { z } from 'zod';
import { ChannelNameSchema, SERVER_ONLY_CHANNEL_PREFIX } from './channel';
import { PublishBodySchema } from './events';
import { JsonDataSchema, type JsonValue } from './json';

/**
 * The message-queue mechanism: the browser submits a job once (`POST /api/jobs`), workers run it,
 * and its progress comes back as events on channel `job:<id>`, followed over any push mechanism.
 */
export const JOB_TYPES = ['report', 'flaky', 'poison', 'relay'] as const;
export const JobTypeSchema = z.enum(JOB_TYPES);
export type JobType = z.infer<typeof JobTypeSchema>;

/** What each demo job takes. Defaults make `{ "type": "report" }` a valid submission. */
export const JobInputSchemas = {
  /** Works through `steps` steps of `stepMs` each, reporting progress after every step. */
  report: z
    .object({
      steps: z.int().min(1).max(20).default(5),
      stepMs: z.int().min(0).max(10_000).default(400),
    })
    .strict(),
  /** Fails its first `failures` attempts, then succeeds: shows retries with growing delays. */
  flaky: z.object({ failures: z.int().min(0).max(10).default(2) }).strict(),
  /** Always fails: ends in the dead letter after MAX_ATTEMPTS. */
  poison: z.object({}).strict(),
  /** Publishes `{ type, data }` to `channel`: what the queue adds on top of a plain publish. */
  relay: PublishBodySchema.extend({
    channel: ChannelNameSchema.refine(
      (channel) => !channel.startsWith(SERVER_ONLY_CHANNEL_PREFIX),
      {
        message: 'relay cannot publish to job: channels',
      },
    ),
  }),
} satisfies Record<JobType, z.ZodType>;
export type JobInput<T extends JobType = JobType> = z.infer<(typeof JobInputSchemas)[T]>;

/** `POST /api/jobs` body; `input` is checked against the type's own schema. */
export const SubmitJobSchema = z
  .object({ type: z.string().min(1), input: z.unknown().default({}) })
  .strict();
export type SubmitJob = z.infer<typeof SubmitJobSchema>;

export const JOB_CHANNEL_PREFIX = SERVER_ONLY_CHANNEL_PREFIX;
export const jobChannel = (jobId: string) => `${JOB_CHANNEL_PREFIX}${jobId}`;

/** `202` answer: where to follow the job. */
export const JobAcceptedSchema = z.object({ jobId: z.string(), channel: ChannelNameSchema });
export type JobAccepted = z.infer<typeof JobAcceptedSchema>;

/** The `data` of each job event on `job:<id>`, by event `type`. */
export const JobEventDataSchemas = {
  'job.queued': z.object({ type: JobTypeSchema, input: JsonDataSchema }),
  /** `type` lets the API rebuild a job whose earlier history it lost (memory backplane restart). */
  'job.started': z.object({ attempt: z.int().min(1), type: JobTypeSchema.optional() }),
  'job.progress': z.object({ attempt: z.int().min(1), percent: z.number().min(0).max(100) }),
  'job.retrying': z.object({ attempt: z.int().min(2), delayMs: z.int().min(0), error: z.string() }),
  'job.completed': z.object({ attempt: z.int().min(1), result: JsonDataSchema }),
  'job.failed': z.object({ attempt: z.int().min(1), error: z.string() }),
  'job.dead-lettered': z.object({ attempts: z.int().min(1), error: z.string() }),
} as const;
export type JobEventType = keyof typeof JobEventDataSchemas;
export const JOB_EVENT_TYPES = Object.keys(JobEventDataSchemas) as JobEventType[];
export type JobEventData<T extends JobEventType = JobEventType> = z.infer<
  (typeof JobEventDataSchemas)[T]
>;

const jobEvent = <T extends JobEventType>(type: T) =>
  z.object({ type: z.literal(type), data: JobEventDataSchemas[type] });

/**
 * A job event, `type` and `data` together: checking `type` narrows `data`, so code that reads job
 * events needs no casts. Parse a channel event with it to know it is a well-formed job event.
 */
export const JobEventSchema = z.discriminatedUnion('type', [
  jobEvent('job.queued'),
  jobEvent('job.started'),
  jobEvent('job.progress'),
  jobEvent('job.retrying'),
  jobEvent('job.completed'),
  jobEvent('job.failed'),
  jobEvent('job.dead-lettered'),
]);
export type JobEvent = z.infer<typeof JobEventSchema>;
/** One kind of job event, e.g. `JobEventOf<'job.progress'>`. */
export type JobEventOf<T extends JobEventType> = Extract<JobEvent, { type: T }>;

/** `failed` is between attempts: one attempt failed, and `retrying` or `dead-lettered` follows. */
export const JOB_STATES = [
  'queued',
  'running',
  'failed',
  'retrying',
  'completed',
  'dead-lettered',
] as const;
export type JobState = (typeof JOB_STATES)[number];

/** `GET /api/jobs/:id`: the job's channel folded into one status (the channel is the truth). */
export const JobStatusSchema = z.object({
  jobId: z.string(),
  channel: ChannelNameSchema,
  type: JobTypeSchema,
  state: z.enum(JOB_STATES),
  attempt: z.int().min(0),
  percent: z.number().min(0).max(100),
  result: JsonDataSchema.optional(),
  error: z.string().optional(),
  submittedAt: z.number(),
  updatedAt: z.number(),
});
export type JobStatus = z.infer<typeof JobStatusSchema> & { result?: JsonValue };

/** Worker-bound message: one attempt of a job. Travels through the broker. */
export const JobMessageSchema = z.object({
  jobId: z.string(),
  type: JobTypeSchema,
  input: JsonDataSchema,
  attempt: z.int().min(1),
});
export type JobMessage = z.infer<typeof JobMessageSchema>;

/**
 * API-bound message: what a worker reports about a job. The API appends it to `job:<id>` only if
 * the job state machine accepts it. A completed `relay` job names the event the API then publishes.
 */
export const JobReportSchema = JobEventSchema.and(
  z.object({
    jobId: z.string(),
    relay: PublishBodySchema.extend({ channel: ChannelNameSchema }).optional(),
  }),
);
export type JobReport = z.infer<typeof JobReportSchema>;
