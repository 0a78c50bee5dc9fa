import { Controller, Headers, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { API_PREFIX, STREAM_TOKEN_COOKIE } from '@pushpull/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken } from './request-token';
import { StreamTokenVerifier, unauthorized } from './stream-token-verifier';

/**
 * `POST /api/stream-cookie` with `Authorization: Bearer <token>` → 204 and the token as the
 * `pushpull_token` cookie, for EventSource (which cannot send headers). `HttpOnly`: page scripts
 * cannot read it back; `SameSite=Strict`: other sites' pages never send it; `Path=/api`: it goes
 * to the API only; `Max-Age`: it dies with the token. It authorizes reads only (GET routes).
 */
@Controller('stream-cookie')
export class StreamCookieController {
  constructor(@Inject(StreamTokenVerifier) private readonly verifier: StreamTokenVerifier) {}

  @Post()
  @HttpCode(204)
  async set(
    @Headers('authorization') authorization: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const token = bearerToken(authorization);
    // The cookie itself never sets a cookie: only a token shown in the header is stored.
    if (!token) throw unauthorized('Send the stream token as Authorization: Bearer <token>');
    const { exp } = await this.verifier.verify(token);
    const maxAgeS = Math.max(0, exp - Math.floor(Date.now() / 1000));
    const attributes = [
      `${STREAM_TOKEN_COOKIE}=${token}`,
      `Max-Age=${maxAgeS}`,
      `Path=/${API_PREFIX}`,
      'HttpOnly',
      'SameSite=Strict',
      ...(request.protocol === 'https' ? ['Secure'] : []),
    ];
    void reply.header('Set-Cookie', attributes.join('; '));
  }
}
