import type { MechanismId } from '@pushpull/contracts';
import { connect } from './connect';
import type { ConnectOptions, Subscription } from './types';

interface SharedTransport {
  subscription: Subscription;
  handles: number;
}

/** Per JavaScript realm: in a browser, per tab. */
const transports = new Map<string, SharedTransport>();

/** Functions cannot be written as JSON: each one (`fetch`, `getToken`) gets a number of its own. */
const functionIds = new WeakMap<object, number>();
let nextFunctionId = 1;

function functionIdOf(fn: object | undefined): number | null {
  if (!fn) return null;
  let id = functionIds.get(fn);
  if (id === undefined) functionIds.set(fn, (id = nextFunctionId++));
  return id;
}

/** JSON with object keys sorted, so `{ a, b }` and `{ b, a }` name the same options. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

/**
 * Which transport a caller may share: the mechanism and **every** option, since each one changes
 * what the transport does (where it connects and fails over to, its cursor, interval, wait, socket.io
 * transports, token, backoff, fetch). An option left out is not keyed (`after: undefined` = none).
 */
export function sharedTransportKey(mechanism: MechanismId, options: ConnectOptions): string {
  const { fetch: fetchImpl, getToken, ...plain } = options;
  return stableJson([mechanism, functionIdOf(fetchImpl), functionIdOf(getToken), plain]);
}

/**
 * Like `connect`, but callers in this tab that ask for the same mechanism with the same options get
 * a handle on one transport — one EventSource per channel however many components listen. A
 * browser allows six HTTP/1.1 connections per origin, shared by every tab, and each open stream
 * holds one. The transport closes with its last handle. A caller whose options differ in anything
 * (another interval, other fallbacks, another `after`) gets a transport of its own. A later caller
 * with the same options joins the live transport as it is: the history it already delivered is not
 * replayed for it (use `connect` for a private history).
 */
export function connectShared(mechanism: MechanismId, options: ConnectOptions): Subscription {
  const key = sharedTransportKey(mechanism, options);
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
