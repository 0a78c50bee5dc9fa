// Plain clients of each peer wire, for the smoke's behaviour check (the load generator has its own,
// leaner ones). Each hands every message's payload to `onPayload` in arrival order; `open` resolves
// once the server holds the subscription, so nothing published after it can be missed.
import { EventSource } from 'eventsource';
import { io } from 'socket.io-client';
import { WebSocket } from 'ws';
import type { PeerWire } from './peer-servers';

/** What the publisher sent, as every peer hands it back (nchan: the POST body; the others: the
 * API's ChannelEvent around it). */
export interface Payload {
  data: { seq: number; sentAt: number };
}

export interface PeerClient {
  /** Resolves once subscribed; rejects if the server refused. */
  open: Promise<void>;
  /** The message ids or cursors seen, in order (none for socket.io's bare rooms). */
  ids: string[];
  close: () => void;
}

type OnPayload = (payload: Payload) => void;

export function connectClient(
  wire: PeerWire,
  baseUrl: string,
  channel: string,
  onPayload: OnPayload,
): PeerClient {
  const url = baseUrl + wire.path(channel);
  switch (wire.wire) {
    case 'sse':
      return sseClient(url, onPayload);
    case 'long-poll':
      return longPollClient(url, onPayload);
    case 'websocket':
      return webSocketClient(url.replace(/^http/, 'ws'), onPayload);
    case 'socket.io':
      return socketIoClient(url, channel, onPayload);
  }
}

function sseClient(url: string, onPayload: OnPayload): PeerClient {
  const ids: string[] = [];
  const source = new EventSource(url);
  const open = new Promise<void>((resolve, reject) => {
    source.onopen = () => resolve();
    source.onerror = (error) =>
      reject(new Error(`EventSource ${url}: ${error.message ?? 'error'}`));
  });
  source.onmessage = (message) => {
    ids.push(message.lastEventId);
    onPayload(JSON.parse(message.data as string) as Payload);
  };
  return { open, ids, close: () => source.close() };
}

/**
 * nchan's long poll: the cursor is the previous answer's `Last-Modified` and `Etag`, sent back as
 * `If-Modified-Since` and `If-None-Match`; with `nchan_longpoll_multipart_response raw` one answer
 * holds every message past it, one per line. No cursor at first: wait for the next message.
 */
function longPollClient(url: string, onPayload: OnPayload): PeerClient {
  const ids: string[] = [];
  const abort = new AbortController();
  let cursor: Record<string, string> = {};
  const loop = async () => {
    while (!abort.signal.aborted) {
      const response = await fetch(url, { headers: cursor, signal: abort.signal });
      if (response.status === 408 || response.status === 304) continue; // held to the timeout
      if (!response.ok) throw new Error(`long poll ${url}: ${response.status}`);
      const body = await response.text();
      cursor = {
        'If-Modified-Since': response.headers.get('last-modified') ?? '',
        'If-None-Match': response.headers.get('etag') ?? '',
      };
      ids.push(`${cursor['If-Modified-Since']} / ${cursor['If-None-Match']}`);
      for (const line of body.split('\n')) if (line) onPayload(JSON.parse(line) as Payload);
    }
  };
  loop().catch((error: unknown) => {
    if (!abort.signal.aborted) console.error(error);
  });
  // A held request cannot say it is held: the check waits for nchan's subscriber count instead.
  return { open: Promise.resolve(), ids, close: () => abort.abort() };
}

/**
 * nchan's websocket: each message is one text frame holding the published body as is. (With the
 * `ws+meta.nchan` subprotocol each frame is `id: <id>\ncontent-type: <type>\n\n<body>` instead.)
 */
function webSocketClient(url: string, onPayload: OnPayload): PeerClient {
  const socket = new WebSocket(url);
  const open = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.on('message', (raw) => onPayload(JSON.parse(String(raw)) as Payload));
  return { open, ids: [], close: () => socket.close() };
}

/** The bare socket.io peer speaks pushpull's `subscribe` and `event`, so this reads both. */
function socketIoClient(url: string, channel: string, onPayload: OnPayload): PeerClient {
  const ids: string[] = [];
  const socket = io(url, { transports: ['websocket'], reconnection: false });
  socket.on('event', (event: Payload & { id: string }) => {
    ids.push(event.id);
    onPayload(event);
  });
  const open = socket
    .timeout(5000)
    .emitWithAck('subscribe', { channel })
    .then((ack: { ok: boolean }) => {
      if (!ack.ok) throw new Error(`subscribe refused: ${JSON.stringify(ack)}`);
    });
  return { open, ids, close: () => socket.close() };
}
