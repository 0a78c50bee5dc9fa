// Baseline: a raw `ws` broadcast server — the floor pushpull's socket.io gateway is measured against.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

let seq = 0;
const server = createServer((request, response) => {
  if (request.method !== 'POST' || request.url !== '/publish') {
    response.writeHead(404).end();
    return;
  }
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString()));
  request.on('end', () => {
    const frame = JSON.stringify({ id: String(++seq), ...JSON.parse(body), ts: Date.now() });
    for (const client of sockets.clients) client.send(frame);
    response.writeHead(201).end();
  });
});
const sockets = new WebSocketServer({ server });

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.error(`listening on ${(server.address() as { port: number }).port}`);
});
