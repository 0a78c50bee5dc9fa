import { Global, Module } from '@nestjs/common';
import { ChannelAccess } from './channel-access';
import { ChannelAccessGuard } from './channel-access.guard';
import { StreamCookieController } from './stream-cookie.controller';
import { StreamTokenVerifier } from './stream-token-verifier';

/**
 * Who may read and write `private:` channels: the stream-token check every mechanism passes
 * through (HTTP routes by `@ChannelAccessFor`, the socket.io gateway and job submits by calling
 * `ChannelAccess`), and the cookie route EventSource needs.
 */
@Global()
@Module({
  controllers: [StreamCookieController],
  providers: [StreamTokenVerifier, ChannelAccess, ChannelAccessGuard],
  exports: [StreamTokenVerifier, ChannelAccess, ChannelAccessGuard],
})
export class AuthModule {}
