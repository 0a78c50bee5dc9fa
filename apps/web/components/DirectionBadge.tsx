import type { MechanismInfo } from '@pushpull/contracts';

const EXPLANATION: Record<MechanismInfo['direction'], string> = {
  pull: 'the browser asks',
  push: 'the server sends when it has something',
};

/** "pull" or "push", with the meaning on hover for readers new to the terms. */
export function DirectionBadge({ direction }: { direction: MechanismInfo['direction'] }) {
  return (
    <span className={`badge badge-${direction}`} title={EXPLANATION[direction]}>
      {direction}
    </span>
  );
}
