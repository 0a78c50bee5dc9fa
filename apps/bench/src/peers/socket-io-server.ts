// Peer: a bare socket.io server (the API's socket.io version) broadcasting each publish to a room —
// what pushpull's websocket mechanism adds to socket.io is the difference. It speaks just enough of
// pushpull's protocol for the same subscriber to read both: namespace `/realtime`, `subscribe`
// joins the channel's room and acks with an empty backlog (there is no log), events arrive as
// `event` with the API's ChannelEvent. No auth, no resume, no limits, no slow-reader cut.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REALTIME_NAMESPACE, type SubscribeAck, type SubscribeRequest } from '@pushpull/contracts';
import { Server } from 'socket.io';
import { lastId, publishedChannel, readEvent } from './publish-request';

// socket.io answers /socket.io/ itself; every other request reaches this handler.
const server = createServer((request, response) => {
  const channel = publishedChannel(request);
  if (channel === undefined) {
    response.writeHead(404).end();
    return;
  }
  void readEvent(request, channel).then((event) => {
    // socket.io encodes the packet once for the whole room, as the API's gateway does.
    realtime.to(channel).emit('event', event);
    response.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify(event));
  });
});

const realtime = new Server(server).of(REALTIME_NAMESPACE);
realtime.on('connection', (socket) => {
  socket.on('subscribe', (request: SubscribeRequest, ack: (answer: SubscribeAck) => void) => {
    void socket.join(request.channel);
    ack({ ok: true, events: [], cursor: lastId() });
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.error(`listening on ${(server.address() as AddressInfo).port}`);
});
