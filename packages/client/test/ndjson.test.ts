import { describe, expect, it } from 'vitest';
import { LineSplitter, parseFrame } from '../src/ndjson';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('LineSplitter', () => {
  it('returns many lines from one chunk', () => {
    expect(new LineSplitter().push(bytes('a\nb\nc\n'))).toEqual(['a', 'b', 'c']);
  });

  it('joins a line split across chunks, mid-line', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(bytes('{"kind":"hea'))).toEqual([]);
    expect(splitter.push(bytes('rtbeat","ts":1}\n{"kind"'))).toEqual([
      '{"kind":"heartbeat","ts":1}',
    ]);
    expect(splitter.push(bytes(':"reset","cursor":"1-0"}\n'))).toEqual([
      '{"kind":"reset","cursor":"1-0"}',
    ]);
  });

  it('joins a multi-byte character split across chunks', () => {
    const whole = bytes('"caf\u00e9 \u{1F600}"\n');
    const splitter = new LineSplitter();
    const lines = [
      ...splitter.push(whole.slice(0, 5)),
      ...splitter.push(whole.slice(5, 9)),
      ...splitter.push(whole.slice(9)),
    ];
    expect(lines).toEqual(['"caf\u00e9 \u{1F600}"']);
  });

  it('accepts CRLF line ends and skips blank lines', () => {
    expect(new LineSplitter().push(bytes('a\r\n\r\nb\n'))).toEqual(['a', 'b']);
  });

  it('splits byte by byte the same as all at once', () => {
    const text = '{"kind":"heartbeat","ts":1}\n{"kind":"heartbeat","ts":2}\n';
    const splitter = new LineSplitter();
    const lines = [...bytes(text)].flatMap((byte) => splitter.push(new Uint8Array([byte])));
    expect(lines.map(parseFrame)).toEqual([
      { kind: 'heartbeat', ts: 1 },
      { kind: 'heartbeat', ts: 2 },
    ]);
  });

  it('gives back a last line without newline on flush', () => {
    const splitter = new LineSplitter();
    splitter.push(bytes('a\nb'));
    expect(splitter.flush()).toEqual(['b']);
    expect(splitter.flush()).toEqual([]);
  });
});

describe('parseFrame', () => {
  it('refuses lines that are not frames', () => {
    expect(() => parseFrame('not json')).toThrow();
    expect(() => parseFrame('{"kind":"gossip"}')).toThrow();
  });
});
