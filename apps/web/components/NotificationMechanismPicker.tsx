'use client';

import { MECHANISMS } from '@pushpull/contracts';
import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { NOTIFICATION_MECHANISMS, type NotificationMechanism } from '@/lib/notifications';

/** The five mechanisms that follow a channel, as links: the URL (`?mechanism=`) is the state. */
export function NotificationMechanismPicker({ current }: { current: NotificationMechanism }) {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const hrefFor = (mechanism: NotificationMechanism) => {
    const next = new URLSearchParams(searchParams);
    next.set('mechanism', mechanism);
    return `${pathname}?${next}`;
  };
  return (
    <nav aria-label="Mechanism" className="mechanism-picker">
      {NOTIFICATION_MECHANISMS.map((mechanism) => (
        <Link
          key={mechanism}
          href={hrefFor(mechanism)}
          title={MECHANISMS[mechanism].title}
          aria-current={mechanism === current ? 'page' : undefined}
        >
          {mechanism}
        </Link>
      ))}
    </nav>
  );
}
