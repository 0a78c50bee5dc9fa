// Baseline: the least an SSE server can do — node:http, one array of responses, a broadcast loop.
// No log, no cursor, no resume, no backpressure: the floor pushpull's SSE is measured against.
import { createServer, type ServerResponse } from 'node:http';

const clients = new Set<ServerResponse>();
let seq = 0;

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url?.startsWith('/sse')) {
    response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    response.flushHeaders();
    clients.add(response);
    request.on('close', () => clients.delete(response));
    return;
  }
  if (request.method === 'POST' && request.url === '/publish') {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const event = { id: String(++seq), ...JSON.parse(body), ts: Date.now() };
      const frame = `id: ${event.id}\ndata: ${JSON.stringify(event)}\n\n`;
      for (const client of clients) client.write(frame);
      response.writeHead(201).end();
    });
    return;
  }
  response.writeHead(404).end();
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.error(`listening on ${(server.address() as { port: number }).port}`);
});
