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
