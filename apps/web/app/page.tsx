import { MECHANISM_IDS, MECHANISMS } from '@pushpull/contracts';
import { ApiLink } from '@/components/ApiLink';
import { DirectionBadge } from '@/components/DirectionBadge';
import './home.css';

export default function HomePage() {
  return (
    <>
      <h1>Six ways to get fresh data to a browser</h1>
      <p className="intro">
        pushpull runs the same channel — publish an event, watch it arrive — over every mechanism a
        browser offers, from asking again on a timer to a held-open socket. Each page shows the live
        feed, the requests and frames on the wire, and what it costs, so you can compare them
        honestly.
      </p>
      <ul className="mechanism-list">
        {MECHANISM_IDS.map((id) => {
          const { title, summary, direction } = MECHANISMS[id];
          return (
            <li key={id} className="mechanism-card">
              <h2 className="mechanism-card-title">
                <ApiLink href={`/${id}`}>{title}</ApiLink>
              </h2>
              <p>{summary}</p>
              <p className="mechanism-card-tags">
                <DirectionBadge direction={direction} />
              </p>
            </li>
          );
        })}
      </ul>
      <p className="callout">
        <ApiLink href="/compare">All six, side by side</ApiLink>: one publisher, the same events
        over every mechanism at once, with their counters and latency charts.
      </p>
      <p className="callout">
        <ApiLink href="/notifications">Notifications</ApiLink>: each user&apos;s private channel,
        read with a short-lived stream token the web server mints, over any of the five subscribe
        mechanisms — and the API&apos;s 403 for anyone else&apos;s.
      </p>
    </>
  );
}
