import type { INestApplicationContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Observable } from 'rxjs';
import type { Namespace, Server, ServerOptions, Socket } from 'socket.io';
import { CORS_PREFLIGHT_MAX_AGE_S } from '../../common/cors';
import { answerEngineErrorsInContract, type EngineRequests } from './engine-errors';
import type { AppConfig } from '../../config/app-config';
import { bindPlainMessageHandlers } from './plain-message-handlers';

/**
 * socket.io on the API's own HTTP server, with CORS from the same allow-list as the HTTP routes
 * (socket.io answers its own requests, so @fastify/cors never sees them).
 */
export class CorsIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, {
      ...options,
      cors: {
        origin: this.config.CORS_ORIGINS,
        methods: ['GET', 'POST'],
        credentials: true,
        maxAge: CORS_PREFLIGHT_MAX_AGE_S,
      },
      // CORS does not apply to a WebSocket upgrade: refuse browser origins outside the list here,
      // or any page could publish through a visitor's socket. Clients without an Origin (servers,
      // tests, curl) are not browsers and pass.
      allowRequest: (
        request: IncomingMessage,
        callback: (error: string | null, success: boolean) => void,
      ) => {
        const origin = request.headers.origin;
        callback(null, origin === undefined || this.config.CORS_ORIGINS.includes(origin));
      },
    }) as Server;
    // engine.io answers its own HTTP requests (the polling transport, the upgrade), past helmet.
    server.engine.on('headers', (headers: Record<string, string>) => {
      headers['X-Content-Type-Options'] = 'nosniff';
    });
    answerEngineErrorsInContract(server.engine as unknown as EngineRequests);
    return server;
  }

  /** Plain listeners instead of an RxJS pipeline per handler per socket: see the function. */
  override bindMessageHandlers(
    socket: Socket,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    bindPlainMessageHandlers(socket, handlers, transform);
  }

  /**
   * socket.io's own `close()` also closes the HTTP server it is attached to — Fastify's, which
   * Fastify closes itself right after (forcing keep-alive sockets shut). Closed twice, the second
   * close finds the server stopped and leaves those sockets, and the process, hanging. So only the
   * sockets and the engine are closed here. Nest hands a namespaced gateway its namespace.
   */
  override async close(server: Server | Namespace): Promise<void> {
    const root = 'engine' in server ? server : server.server;
    server.disconnectSockets(true);
    root.engine.close();
  }
}
