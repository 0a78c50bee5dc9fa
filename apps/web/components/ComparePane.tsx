import { MECHANISMS, type MechanismId } from '@pushpull/contracts';
import type { PaneView } from '@/hooks/comparison-view';
import { SERIES_COLORS } from '@/lib/compare-series';
import { ApiLink } from './ApiLink';
import { ConnectionStatus } from './ConnectionStatus';
import { Counters } from './Counters';
import { DirectionBadge } from './DirectionBadge';
import { ErrorNotice } from './ErrorNotice';

interface ComparePaneProps {
  mechanism: MechanismId;
  pane: PaneView;
  /** The channel this pane follows (the relay channel for the message queue). */
  channel: string;
}

const ms = (value: number | undefined) => (value === undefined ? '–' : String(Math.round(value)));

/** One mechanism on the compare channel: its connection, its counters and what it received. */
export function ComparePane({ mechanism, pane, channel }: ComparePaneProps) {
  const { title, direction } = MECHANISMS[mechanism];
  const { connection, endToEnd } = pane;
  return (
    <section aria-label={title} data-mechanism={mechanism} className="panel compare-pane">
      <header className="compare-pane-header">
        <span
          className="series-swatch"
          style={{ background: SERIES_COLORS[mechanism] }}
          aria-hidden
        />
        <h2 className="compare-pane-title">
          <ApiLink href={`/${mechanism}`}>{title}</ApiLink>
        </h2>
        <DirectionBadge direction={direction} />
      </header>
      {mechanism === 'message-queue' && (
        <p className="hint compare-pane-note">
          Each event goes through a <code>relay</code> job that publishes it on{' '}
          <code>{channel}</code>; this pane follows that channel (over SSE).
        </p>
      )}
      <ConnectionStatus connection={connection} />
      <ErrorNotice error={connection.error} />
      <Counters stats={pane.stats} />
      <p className="end-to-end">
        End-to-end p50 <code data-testid="end-to-end-p50">{ms(endToEnd.p50)}</code> · p95{' '}
        <code data-testid="end-to-end-p95">{ms(endToEnd.p95)}</code> ms
      </p>
      <ol aria-label="Received" className="received">
        {pane.received.map(({ id, seq }) => (
          <li key={id} title={`event ${id}`}>
            {seq === undefined ? '#?' : `#${seq}`}
          </li>
        ))}
      </ol>
      {pane.received.length === 0 && <p className="empty-note">Nothing received yet.</p>}
    </section>
  );
}
