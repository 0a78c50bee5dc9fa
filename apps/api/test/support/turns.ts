/**
 * Resolves after the event loop's next turn: the memory log hands a published event to its
 * followers then (as Redis's feed does later still), not inside `publish`.
 */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
