/** The /metrics samples the bench reads, summed over label sets where a name has several. */
export interface ServerSample {
  cpuSeconds: number;
  rssBytes: number;
  heapUsedBytes: number;
  requests: number;
  bytesWritten: Record<string, number>;
  delivered: Record<string, number>;
}

export async function scrape(baseUrl: string): Promise<ServerSample> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const sample: ServerSample = {
    cpuSeconds: 0,
    rssBytes: 0,
    heapUsedBytes: 0,
    requests: 0,
    bytesWritten: {},
    delivered: {},
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line === '') continue;
    const match = /^([a-z_]+)(\{[^}]*\})? ([0-9.e+-]+)$/.exec(line);
    if (!match) continue;
    const [, name, labels = '', raw] = match;
    const value = Number(raw);
    const mechanism = /mechanism="([^"]+)"/.exec(labels)?.[1] ?? '';
    if (name === 'process_cpu_seconds_total') sample.cpuSeconds = value;
    else if (name === 'process_resident_memory_bytes') sample.rssBytes = value;
    else if (name === 'nodejs_heap_size_used_bytes') sample.heapUsedBytes = value;
    else if (name === 'pushpull_http_requests_total' && !labels.includes('route="/metrics"'))
      sample.requests += value;
    else if (name === 'pushpull_bytes_written_total') sample.bytesWritten[mechanism] = value;
    else if (name === 'pushpull_events_delivered_total') sample.delivered[mechanism] = value;
  }
  return sample;
}
