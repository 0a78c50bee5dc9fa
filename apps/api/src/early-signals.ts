// Imported first by main.ts. Until the server listens, a stop signal finds nothing held and nobody
// answered, so the process exits 0 at once; Node's default for SIGTERM (death by signal, status
// 143) reads to an orchestrator as a crash. Once listening, the drain takes the signals over.
const exit = () => process.exit(0);
process.once('SIGTERM', exit);
process.once('SIGINT', exit);

export function stopExitingOnEarlySignals(): void {
  process.off('SIGTERM', exit);
  process.off('SIGINT', exit);
}
