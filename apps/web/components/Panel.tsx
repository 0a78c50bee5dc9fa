import { useId, type ReactNode } from 'react';

/**
 * A titled panel that is a named landmark (a `region` named by its heading), so a reader, a screen
 * reader and a test can tell two panels' alerts and statuses apart.
 */
export function Panel({
  title,
  className = 'panel',
  children,
}: {
  title: string;
  className?: string;
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <section className={className} aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}
