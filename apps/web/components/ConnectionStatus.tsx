import type { StatusChange } from '@pushpull/client';
import './connection.css';

function describe({ status, retryInMs, transport }: StatusChange): string {
  const parts: string[] = [];
  if (status === 'backoff' && retryInMs !== undefined)
    parts.push(`retry in ${Math.round(retryInMs)} ms`);
  if (transport) parts.push(`via ${transport}`);
  return parts.join(' · ');
}

/** The status word exactly as the client reports it; details sit beside it, not inside it. */
export function ConnectionStatus({ connection }: { connection: StatusChange }) {
  const detail = describe(connection);
  return (
    <p className="connection">
      <span
        role="status"
        aria-label="Connection status"
        className={`status-word status-${connection.status}`}
      >
        {connection.status}
      </span>
      {detail && <span className="connection-detail">{detail}</span>}
    </p>
  );
}
