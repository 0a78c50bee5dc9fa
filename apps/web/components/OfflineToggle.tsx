import { useId } from 'react';
import './connection.css';

interface OfflineToggleProps {
  offline: boolean;
  onChange(offline: boolean): void;
  /** What the toggle drops, when it is more than one connection. */
  hint?: string;
}

/**
 * Simulates a dropped network: the client closes its transport and stops, then resumes from its
 * last id. (Browser "offline" modes do not cut open WebSockets, so the demo and the tests use this.)
 */
export function OfflineToggle({
  offline,
  onChange,
  hint = 'Drops the connection; unchecking resumes from the last event received.',
}: OfflineToggleProps) {
  const hintId = useId();
  return (
    <div className="offline-toggle">
      <label>
        <input
          type="checkbox"
          checked={offline}
          aria-describedby={hintId}
          onChange={(event) => onChange(event.target.checked)}
        />
        Offline
      </label>
      <p id={hintId} className="hint">
        {hint}
      </p>
    </div>
  );
}
