import { Module } from '@nestjs/common';
import { ChannelRooms } from './channel-rooms';
import { RealtimeGateway } from './realtime.gateway';

@Module({ providers: [RealtimeGateway, ChannelRooms] })
export class WebSocketModule {}
