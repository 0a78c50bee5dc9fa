import {
  ChannelEventSchema,
  ChannelHeadSchema,
  JobAcceptedSchema,
  JobStatusSchema,
  paths,
  type ChannelEvent,
  type ChannelHead,
  type JobAccepted,
  type JobStatus,
  type JobType,
  type PublishBody,
} from '@pushpull/contracts';
import { ClientError } from './errors';
import { authHeaders } from './http';
import { parseContract, type ContractSchema } from './parse';

export interface ApiCallOptions {
  token?: string;
  fetch?: typeof fetch;
}

/** One call, its answer parsed with its contract schema: a body that does not match is `bad_response`. */
async function callJson<T>(
  schema: ContractSchema<T>,
  url: string,
  init: RequestInit,
  options: ApiCallOptions,
): Promise<T> {
  let response: Response;
  let text: string;
  try {
    response = await (options.fetch ?? fetch)(url, {
      ...init,
      headers: { ...init.headers, ...authHeaders(options.token) },
    });
    text = await response.text(); // a body cut mid-way is the network's doing too
  } catch (error) {
    throw new ClientError(
      'network_error',
      `Could not reach ${new URL(url).origin}: ${String(error)}`,
    );
  }
  if (!response.ok) throw ClientError.fromResponse(response.status, text);
  return parseContract(schema, text, `answer from ${new URL(url).pathname}`);
}

/** Publishes one event; resolves with it as stored (id, ts), or rejects with a ClientError. */
export function publish(
  baseUrl: string,
  channel: string,
  body: PublishBody,
  options: ApiCallOptions = {},
): Promise<ChannelEvent> {
  return callJson(
    ChannelEventSchema,
    baseUrl + paths.publish(channel),
    { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
    options,
  );
}

/** The channel's current head: subscribe `after` it to receive only what comes next. */
export function fetchHead(
  baseUrl: string,
  channel: string,
  options: ApiCallOptions = {},
): Promise<ChannelHead> {
  return callJson(ChannelHeadSchema, baseUrl + paths.channel(channel), { method: 'GET' }, options);
}

/**
 * Submits a job (202): resolves with its id and the channel to follow (`job:<id>`) over any push
 * mechanism; rejects with the API's code (`unknown_job_type`, `invalid_body`).
 */
export function submitJob(
  baseUrl: string,
  type: JobType,
  input: unknown = {},
  options: ApiCallOptions = {},
): Promise<JobAccepted> {
  return callJson(
    JobAcceptedSchema,
    baseUrl + paths.jobs(),
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type, input }),
    },
    options,
  );
}

/** The job's status, folded by the API from its channel; rejects `not_found` once it expired. */
export function fetchJob(
  baseUrl: string,
  jobId: string,
  options: ApiCallOptions = {},
): Promise<JobStatus> {
  return callJson(JobStatusSchema, baseUrl + paths.job(jobId), { method: 'GET' }, options);
}
