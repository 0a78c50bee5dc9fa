const CRLF = Buffer.from('\r\n', 'latin1');

/**
 * One chunk of an HTTP/1.1 chunked body (RFC 9112 §7.1): the size in hex, CRLF, the bytes, CRLF.
 * Never called with no bytes: an empty chunk is the body's end.
 */
export function httpChunk(payload: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`${payload.length.toString(16)}\r\n`, 'latin1'),
    payload,
    CRLF,
  ]);
}
