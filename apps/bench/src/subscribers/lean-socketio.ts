// socket.io as a lean subscriber: the engine.io v4 protocol over a bare `ws` socket, parsed only as
// far as the bench needs. Packets are text: engine.io's type digit, then for a message (4)
// socket.io's type digit and the namespace:
//   server `0{…}` (engine open)            → client `40/realtime,` (connect to the namespace)
//   server `40/realtime,{…}` (connected)   → client `42/realtime,<n>["subscribe",{channel,after}]`
//   server `43/realtime,<n>[{ok,events,cursor,more?}]` (the ack: the backlog page)
//   server `42/realtime,["event",{ChannelEvent}]` (a live event)
//   server `2` (ping)                      → client `3` (pong)
// A `closing` event is followed by the server's disconnect; every end reconnects and subscribes
// again `after` the last id seen.
import { WebSocket } from 'ws';
import { REALTIME_NAMESPACE } from '@pushpull/contracts';
import { LeanSubscriber } from './lean-base';
import { firstString, lastString, readStamps } from './stamp';
import type { OnStamp, Target } from './types';

const NSP = `${REALTIME_NAMESPACE},`;

export class LeanSocketIo extends LeanSubscriber {
  private socket: WebSocket | undefined;
  private lastId: string | undefined;
  private nextAck = 0;

  constructor(
    private readonly target: Target,
    private readonly onStamp: OnStamp,
  ) {
    super();
  }

  protected connect(): void {
    this.requests += 1;
    const url = new URL('/socket.io/?EIO=4&transport=websocket', this.target.url);
    url.protocol = url.protocol.replace('http', 'ws');
    const socket = new WebSocket(url, { perMessageDeflate: false });
    socket.on('message', (data: Buffer) => socket === this.socket && this.packet(String(data)));
    socket.on('close', () => socket === this.socket && this.reconnect());
    socket.on('error', () => socket === this.socket && this.reconnect());
    this.socket = socket;
  }

  protected disconnect(): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.terminate();
  }

  private packet(packet: string): void {
    const engineType = packet[0];
    if (engineType === '2') return this.socket!.send('3');
    if (engineType === '0') return this.socket!.send(`40${NSP}`);
    if (engineType === '1') return this.reconnect();
    if (engineType !== '4') return;
    const socketType = packet[1];
    if (!packet.startsWith(NSP, 2)) return;
    if (socketType === '2') {
      // An event: `event` carries a ChannelEvent (its id first); `closing` needs nothing here.
      if (!packet.startsWith('["event"', 2 + NSP.length)) return;
      this.lastId = firstString(packet, 'id') ?? this.lastId;
      readStamps(packet, this.onStamp);
    } else if (socketType === '0') {
      this.subscribe();
    } else if (socketType === '3') {
      this.acked(packet);
    } else {
      this.reconnect(); // 1: disconnected by the server, 4: the namespace refused us
    }
  }

  private subscribe(): void {
    const request = { channel: this.target.channel, ...(this.lastId && { after: this.lastId }) };
    this.socket!.send(`42${NSP}${this.nextAck++}["subscribe",${JSON.stringify(request)}]`);
  }

  /** The subscribe ack: one page of the backlog, and `more` when there is another. */
  private acked(packet: string): void {
    if (!packet.includes('"ok":true')) return this.reconnect();
    readStamps(packet, this.onStamp);
    this.lastId = lastString(packet, 'cursor') ?? this.lastId;
    this.open = true;
    this.healthy();
    if (packet.includes('"more":true')) this.subscribe();
  }
}
