/** Defaults shared by the server (as config defaults) and by clients (to explain a rejection). */
export const DEFAULT_MAX_EVENT_BYTES = 16 * 1024;
/** Deeper `data` is refused: a bound keeps validation iterative-cheap and stops stack-blowing input. */
export const MAX_DATA_DEPTH = 32;
export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1000;
export const MAX_EVENT_TYPE_LENGTH = 64;
/** A cursor is opaque to clients; this bound only keeps garbage out of logs and lookups. */
export const MAX_CURSOR_LENGTH = 64;
