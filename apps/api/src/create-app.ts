import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { API_PREFIX } from '@pushpull/contracts';
import { AppModule } from './app.module';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { answerUnparsableRequest } from './common/client-error-handler';
import { corsOptions } from './common/cors';
import { answerFrameworkError } from './common/framework-errors';
import { useContractBodyParsers } from './common/body-parsers';
import { answerFailedExpectations, refuseMissingHost } from './common/protocol-errors';
import { SECURITY_HEADERS, securityHeadersPlugin } from './common/security-headers';
import { slowRequestOptions } from './common/slow-requests';
import type { AppConfig } from './config/app-config';
import { Metrics } from './metrics/metrics';
import { CorsIoAdapter } from './mechanisms/websocket/cors-io-adapter';

/** Builds the API on Fastify (request-bound polling is where Fastify's lower overhead shows). */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  // bodyLimit: every body the API takes is one event (or one job), so the event bound is the limit.
  const adapter = new FastifyAdapter({
    bodyLimit: config.MAX_EVENT_BYTES,
    clientErrorHandler: answerUnparsableRequest,
    frameworkErrors: answerFrameworkError,
    // No forced close: the drain (src/drain.ts) lets requests already received finish and closes
    // idle keep-alive connections itself; SHUTDOWN_TIMEOUT_MS bounds the wait.
    forceCloseConnections: false,
    // HEADERS_TIMEOUT_MS and REQUEST_TIMEOUT_MS: a client may not hold a request half-sent.
    ...slowRequestOptions(config),
  });
  useContractBodyParsers(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.withConfig(config),
    adapter,
    {
      logger: ['log', 'warn', 'error'],
      bodyParser: false,
    },
  );
  // Helmet's headers go on at onRequest, onto the raw response, so hijacked streams carry them too.
  await app.register(securityHeadersPlugin);
  adapter.getInstance().addHook('onRequest', refuseMissingHost);
  answerFailedExpectations(app.getHttpServer());
  // /metrics stays at the root, where Prometheus scrapes by default.
  app.setGlobalPrefix(API_PREFIX, { exclude: ['metrics'] });
  const metrics = app.get(Metrics);
  // Hooks here take `done` rather than being async: an async hook costs every request a promise.
  adapter.getInstance().addHook('onResponse', (request, reply, done) => {
    // The route pattern (`/api/poll/:channel`), never the URL: labels must stay a bounded set.
    metrics.requestAnswered(
      request.method,
      request.routeOptions.url ?? 'unmatched',
      reply.statusCode,
    );
    done();
  });
  app.useGlobalFilters(new ApiExceptionFilter(config.MAX_EVENT_BYTES, metrics));
  app.enableCors(corsOptions(config));
  app.useWebSocketAdapter(new CorsIoAdapter(app, config));
  // Live data has no business in a cache; a route that wants caching (polling) says so itself.
  adapter.getInstance().addHook('onSend', (_request, reply, payload, done) => {
    if (!reply.hasHeader('cache-control')) void reply.header('Cache-Control', 'no-store');
    // Answers sent before helmet's hook ran (a CORS preflight, the router's own errors).
    if (reply.getHeader('x-content-type-options') === undefined)
      void reply.headers(SECURITY_HEADERS);
    done(null, payload);
  });
  return app;
}
