/** The API process's resident memory, as its own /metrics reports it (prom-client's default). */
export async function residentBytes(baseUrl: string): Promise<number> {
  return metric(baseUrl, 'process_resident_memory_bytes');
}

/** One unlabelled sample from /metrics. */
export async function metric(baseUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  if (!match) throw new Error(`${name} is not in /metrics`);
  return Number(match[1]);
}

/** Samples the API's RSS until stopped; `stop()` resolves to the highest sample. */
export function watchPeakRss(baseUrl: string): { stop(): Promise<number> } {
  let peak = 0;
  let running = true;
  const sampling = (async () => {
    while (running) {
      peak = Math.max(peak, await residentBytes(baseUrl));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await sampling;
      return Math.max(peak, await residentBytes(baseUrl));
    },
  };
}

export const MIB = 1024 * 1024;

/** Publishes `count` events of `bytes`-sized bodies, `concurrency` at a time; channel per index. */
export async function flood(
  baseUrl: string,
  count: number,
  channelOf: (n: number) => string,
  bodyBytes: number,
  concurrency = 16,
): Promise<void> {
  const body = JSON.stringify({ type: 'n', data: 'x'.repeat(bodyBytes - 22) });
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const n = next++;
        const response = await fetch(`${baseUrl}/api/channels/${channelOf(n)}/events`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body,
        });
        if (response.status !== 201) throw new Error(`publish ${n}: ${response.status}`);
        await response.arrayBuffer();
      }
    }),
  );
}
