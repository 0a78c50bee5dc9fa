import type { ChannelEvent, JsonValue } from '@pushpull/contracts';

/**
 * An event in its serialized form: the JSON of the whole `ChannelEvent`, made once when it is
 * published. The memory log stores only this, and every wire can carry `json` as it is (an SSE
 * `data:` line, an NDJSON `event` field, a page's array) instead of stringifying the event again.
 */
export interface SerializedEvent {
  id: string;
  json: string;
}

/**
 * The JSON of an event, with its keys in the contract's order. V8 builds a long result of
 * `JSON.stringify` as a tree of pieces (a "cons string"); reading one character flattens it into one
 * run of characters and lets the GC drop the pieces, so what is stored costs what `heldBytes` says.
 */
export function serializeEvent(event: ChannelEvent): string {
  const { id, channel, type, data, ts } = event;
  const json = JSON.stringify({ id, channel, type, data, ts });
  json.charCodeAt(0);
  return json;
}

/** The same JSON, built from an event whose `data` is already JSON text (a Redis stream entry). */
export function serializeParts(
  event: Omit<ChannelEvent, 'data'> & { dataJson: string },
): SerializedEvent {
  const { id, channel, type, dataJson, ts } = event;
  const head = `{"id":${JSON.stringify(id)},"channel":${JSON.stringify(channel)}`;
  return { id, json: `${head},"type":${JSON.stringify(type)},"data":${dataJson},"ts":${ts}}` };
}

export function parseEvent({ json }: SerializedEvent): ChannelEvent {
  return JSON.parse(json) as ChannelEvent & { data: JsonValue };
}

/** The stored form of each event `parseRemembered` made, for as long as the object lives. */
const storedForms = new WeakMap<ChannelEvent, SerializedEvent>();

/** `parseEvent`, remembering the JSON it came from so `storedFormOf` need not stringify it. */
export function parseRemembered(serialized: SerializedEvent): ChannelEvent {
  const event = parseEvent(serialized);
  storedForms.set(event, serialized);
  return event;
}

/** The JSON an event was stored as: remembered when it was parsed, else serialized now. */
export function storedFormOf(event: ChannelEvent): SerializedEvent {
  return storedForms.get(event) ?? { id: event.id, json: serializeEvent(event) };
}

/** Bytes a serialized event takes on the wire (UTF-8). */
export function wireBytes({ json }: SerializedEvent): number {
  return Buffer.byteLength(json);
}

/**
 * What holding one stored event costs besides its characters, measured on Node 20 (x64) by
 * holding 50 000 events per shape with `--expose-gc` and dividing the heap's growth: 26–30 bytes
 * (a 16-byte string header, the array slot, the array's spare capacity), plus 8 for its publish
 * time. Rounded up, so the count errs on the side of holding less.
 */
export const EVENT_OVERHEAD_BYTES = 48;

/** Any character past U+00FF makes V8 store the whole string at two bytes a character. */
const TWO_BYTE = /[\u0100-\uffff]/;

/** What V8 really holds for a stored event: 1 or 2 bytes a character, plus the fixed overhead. */
export function heldBytes(json: string): number {
  return json.length * (TWO_BYTE.test(json) ? 2 : 1) + EVENT_OVERHEAD_BYTES;
}
