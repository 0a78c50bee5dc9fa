// A bare `ws` socket: the raw WebSocket baseline's subscriber. Its server has no log and no
// resume, so neither has this: every message is one event.
import { WebSocket } from 'ws';
import { LeanSubscriber } from './lean-base';
import { readStamps } from './stamp';
import type { OnStamp, Target } from './types';

export class LeanWs extends LeanSubscriber {
  private socket: WebSocket | undefined;

  constructor(
    private readonly target: Target,
    private readonly onStamp: OnStamp,
  ) {
    super();
  }

  protected connect(): void {
    this.requests += 1;
    const socket = new WebSocket(this.target.url, { perMessageDeflate: false });
    socket.on('open', () => {
      this.open = true;
      this.healthy();
    });
    socket.on('message', (data: Buffer) => readStamps(String(data), this.onStamp));
    socket.on('close', () => socket === this.socket && this.reconnect());
    socket.on('error', () => socket === this.socket && this.reconnect());
    this.socket = socket;
  }

  protected disconnect(): void {
    const socket = this.socket;
    this.socket = undefined;
    socket?.terminate();
  }
}
