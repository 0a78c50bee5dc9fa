import { MECHANISMS, type MechanismId } from '@pushpull/contracts';
import type { ReactNode } from 'react';
import { DirectionBadge } from './DirectionBadge';

/** Title, one-line summary and pull/push badge of a mechanism page, with its own controls below. */
export function MechanismHeader({
  mechanism,
  children,
}: {
  mechanism: MechanismId;
  children: ReactNode;
}) {
  const { title, summary, direction } = MECHANISMS[mechanism];
  return (
    <header className="mechanism-header">
      <h1>{title}</h1>
      <p className="summary">
        <DirectionBadge direction={direction} /> {summary}
      </p>
      {children}
    </header>
  );
}
