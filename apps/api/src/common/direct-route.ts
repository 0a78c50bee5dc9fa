import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import { ApiExceptionFilter } from './api-exception.filter';

/** What a direct route answers: the body to send (undefined: none), once the work is done. */
export type DirectHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/**
 * GET routes taken out of Nest's router for the hot pull paths (a poll, a long poll: one request
 * per client per event), registered through Nest's HTTP adapter so Fastify's hooks (CORS,
 * security headers, metrics, the drain) and the adapter's route rules (an empty `:param` is a
 * 404) apply exactly as to any controller route. What is skipped is the per-request machinery
 * these routes used none of — an execution context, the guard/interceptor/pipe chains, the param
 * decorators, an rxjs pipe around the result — which cost more than Fastify itself. The handler
 * does what its decorators did (the access check, the parse) by calling the same functions, and
 * what it throws goes to the same exception filter as everywhere else.
 */
@Injectable()
export class DirectRoutes {
  private readonly filter: ApiExceptionFilter;

  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(Metrics) metrics: Metrics,
  ) {
    // The filter create-app installs globally holds no state but these two: an equal one.
    this.filter = new ApiExceptionFilter(config.MAX_EVENT_BYTES, metrics);
  }

  get(path: string, handler: DirectHandler): void {
    const filter = this.filter;
    this.adapterHost.httpAdapter.get(path, (request: FastifyRequest, reply: FastifyReply) => {
      handler(request, reply).then(
        (body) => {
          if (!reply.sent) void reply.send(body);
        },
        (error: unknown) => filter.catch(error, new ExecutionContextHost([request, reply])),
      );
    });
  }
}
