import { StreamFrameSchema, type StreamFrame } from '@pushpull/contracts';
import { parseContract } from './parse';

/**
 * Splits a byte stream into lines, whatever the chunk boundaries: a chunk may end mid-line (even
 * mid-character) or hold many lines. Pure, so it is tested without a network.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder();
  private partial = '';

  /** Lines completed by this chunk, without their `\n` (and `\r`, if any). */
  push(chunk: Uint8Array): string[] {
    // `stream: true` keeps a multi-byte character split across chunks for the next call.
    this.partial += this.decoder.decode(chunk, { stream: true });
    const lines = this.partial.split('\n');
    this.partial = lines.pop() ?? '';
    return lines
      .map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
      .filter((line) => line !== '');
  }

  /** What is left when the stream ends: a last line without a trailing newline. */
  flush(): string[] {
    const rest = this.partial + this.decoder.decode();
    this.partial = '';
    return rest.trim() === '' ? [] : [rest];
  }
}

/** Parses one NDJSON line into a frame; anything else throws a `bad_response` ClientError. */
export function parseFrame(line: string): StreamFrame {
  return parseContract(StreamFrameSchema, line, 'NDJSON frame');
}
