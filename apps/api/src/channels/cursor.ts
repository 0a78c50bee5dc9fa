import { ApiError } from '../common/api-error';

/**
 * Both drivers write ids as `<epoch>-<seq>`: `seq` counts a channel's events from 1, and `epoch`
 * names one life of the channel's history (the process start in memory, the stream's creation in
 * Redis). A cursor from another epoch comes from history that no longer exists.
 */
export interface Cursor {
  epoch: number;
  seq: number;
}

/** What a channel still holds: seqs `oldestSeq..lastSeq` of `epoch`. */
export interface Retained {
  epoch: number;
  oldestSeq: number;
  lastSeq: number;
}

const CURSOR = /^(\d{1,16})-(\d{1,16})$/;

/**
 * The head of a channel with no events: before everything it will ever hold, whatever its epoch.
 * (An empty channel has no epoch yet: its first event starts one.)
 */
export const BEFORE_EVERYTHING = '0-0';

export function parseCursor(cursor: string): Cursor {
  const match = CURSOR.exec(cursor);
  if (!match) {
    throw new ApiError(
      'invalid_cursor',
      `"${cursor.slice(0, 64)}" is not a cursor: pass back an event id or a head you were given`,
    );
  }
  return { epoch: Number(match[1]), seq: Number(match[2]) };
}

export function isBeforeEverything(cursor: Cursor): boolean {
  return cursor.epoch === 0 && cursor.seq === 0;
}

export function formatCursor(epoch: number, seq: number): string {
  return `${epoch}-${seq}`;
}

/** Orders ids (epoch first, as Redis orders stream ids), for dropping what a follower has seen. */
export function compareCursors(a: string, b: string): number {
  const x = parseCursor(a);
  const y = parseCursor(b);
  return x.epoch - y.epoch || x.seq - y.seq;
}

/** The cursor just before an event: where a reset follower stands until that event arrives. */
export function cursorBefore(id: string): string {
  const { epoch, seq } = parseCursor(id);
  return formatCursor(epoch, seq - 1);
}

/**
 * The reset rule, one for every driver. A reader continues without a gap only if its cursor is in
 * the channel's epoch and no older than the event just before the oldest retained one (and not
 * from the future); the "before everything" cursor continues only while the channel still holds
 * its first event. Anything else — trimmed away, a channel deleted and recreated, a restarted
 * memory log — restarts at the oldest retained event with `reset: true`: never a silent gap.
 */
export function mustReset(cursor: Cursor, retained: Retained | undefined): boolean {
  if (isBeforeEverything(cursor)) return retained !== undefined && retained.oldestSeq > 1;
  return (
    retained === undefined ||
    cursor.epoch !== retained.epoch ||
    cursor.seq < retained.oldestSeq - 1 ||
    cursor.seq > retained.lastSeq
  );
}
