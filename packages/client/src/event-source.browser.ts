// In a browser, the browser's own EventSource: nothing to bundle.
export const EventSourceImpl: typeof EventSource = globalThis.EventSource;
