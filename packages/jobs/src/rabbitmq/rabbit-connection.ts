import amqp, { type AmqpConnectionManager, type ChannelWrapper } from 'amqp-connection-manager';
import type { Channel } from 'amqplib';
import { assertBaseTopology, type QueueNames } from './topology';

/**
 * A RabbitMQ connection that comes back by itself (amqplib alone does not reconnect), with one
 * confirm channel whose setup — the topology, and any consumer — is replayed after every reconnect.
 * Messages sent while the broker is away wait in memory and go out on reconnect.
 */
export interface RabbitLink {
  connection: AmqpConnectionManager;
  channel: ChannelWrapper;
}

export function openRabbit(
  url: string,
  names: QueueNames,
  onError: (message: string) => void,
): RabbitLink {
  const connection: AmqpConnectionManager = amqp.connect([url], {
    heartbeatIntervalInSeconds: 5,
    reconnectTimeInSeconds: 1,
  });
  connection.on('disconnect', ({ err }) =>
    onError(`RabbitMQ disconnected: ${err?.message ?? 'closed'}`),
  );
  const channel: ChannelWrapper = connection.createChannel({
    json: true,
    setup: (raw: Channel) => assertBaseTopology(raw, names),
  });
  return { connection, channel };
}
