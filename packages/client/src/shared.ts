import type { MechanismId } from '@pushpull/contracts';
import { connect } from './connect';
import type { ConnectOptions, Subscription } from './types';

interface SharedTransport {
  subscription: Subscription;
  handles: number;
}

/** Per JavaScript realm: in a browser, per tab. */
const transports = new Map<string, SharedTransport>();

/**
 * Like `connect`, but every caller in this tab asking for the same mechanism, API and channel gets
 * a handle on one transport — one EventSource per channel however many components listen. A
 * browser allows six HTTP/1.1 connections per origin, shared by every tab, and each open stream
 * holds one. The transport closes with its last handle. A later caller joins the live transport
 * as it is: its `after` is not replayed (use `connect` for a private history).
 */
export function connectShared(mechanism: MechanismId, options: ConnectOptions): Subscription {
  const key = JSON.stringify([
    mechanism,
    options.baseUrl,
    options.channel,
    options.token ?? null,
    options.transports ?? null,
  ]);
  let transport = transports.get(key);
  if (!transport) {
    transport = { subscription: connect(mechanism, options), handles: 0 };
    transports.set(key, transport);
  }
  transport.handles += 1;
  const { subscription } = transport;
  const detach: Array<() => void> = [];
  let closed = false;

  return {
    mechanism,
    channel: options.channel,
    get status() {
      return closed ? 'closed' : subscription.status;
    },
    get cursor() {
      return subscription.cursor;
    },
    on(name, listener) {
      const off = subscription.on(name, listener);
      detach.push(off);
      return off;
    },
    stats: () => subscription.stats(),
    setOffline: (offline) => subscription.setOffline(offline),
    close() {
      if (closed) return;
      closed = true;
      detach.forEach((off) => off());
      transport.handles -= 1;
      if (transport.handles > 0) return;
      transports.delete(key);
      subscription.close();
    },
  };
}
