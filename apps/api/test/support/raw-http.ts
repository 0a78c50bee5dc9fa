import { createConnection } from 'node:net';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends `request` byte for byte on a fresh TCP connection (what `fetch` refuses to send: no Host,
 * a broken request line, a trickled body) and reads one answer: until its Content-Length is in,
 * or the server closes. `trickle` is written every `everyMs` until the server answers.
 */
export function rawExchange(
  port: number,
  request: string,
  trickle?: { chunk: string; everyMs: number },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(port, '127.0.0.1');
    let received = '';
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearInterval(timer);
      socket.destroy();
      const [head = '', ...rest] = received.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      const status = Number(statusLine.split(' ')[1]);
      if (!status) reject(new Error(`no answer: ${JSON.stringify(received)}`));
      else resolve({ status, headers, body: rest.join('\r\n\r\n') });
    };
    socket.on('connect', () => {
      socket.write(request);
      if (trickle)
        timer = setInterval(() => socket.writable && socket.write(trickle.chunk), trickle.everyMs);
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
      const end = received.indexOf('\r\n\r\n');
      const length = /content-length: *(\d+)/i.exec(received.slice(0, end))?.[1];
      if (end >= 0 && length !== undefined && received.length - end - 4 >= Number(length)) finish();
    });
    socket.on('close', finish);
    socket.on('error', () => undefined); // the close that follows reports what arrived
  });
}

/**
 * The chunks of an HTTP/1.1 chunked body, each size checked against its bytes; throws on a
 * malformed one. `ended` once the zero-size chunk arrived. Stops at an incomplete last chunk.
 */
export function dechunk(body: Buffer): { chunks: string[]; ended: boolean } {
  const chunks: string[] = [];
  let at = 0;
  while (at < body.length) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (Number.isNaN(size)) throw new Error(`not a chunk size at byte ${at}`);
    if (size === 0) return { chunks, ended: true };
    const start = lineEnd + 2;
    if (body.length < start + size + 2) break;
    if (body.subarray(start + size, start + size + 2).toString('latin1') !== '\r\n')
      throw new Error(`chunk at byte ${at} is not ${size} bytes long`);
    chunks.push(body.subarray(start, start + size).toString('utf8'));
    at = start + size + 2;
  }
  return { chunks, ended: false };
}
