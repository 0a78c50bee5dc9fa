import {
  clampTtl,
  DEFAULT_NOTIFICATION_MECHANISM,
  NOTIFICATION_MECHANISMS,
  type NotificationMechanism,
} from './notifications';
import { API_PARAM } from './api-param';

type SearchParams = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

function isNotificationMechanism(value: string | undefined): value is NotificationMechanism {
  return (NOTIFICATION_MECHANISMS as readonly string[]).includes(value ?? '');
}

/**
 * What /notifications takes from its URL: `?mechanism=sse&ttl=5` (and `?api=`). `keep` is what a
 * sign-in carries back to the page.
 */
export function readNotificationParams(searchParams: SearchParams) {
  const requested = first(searchParams.mechanism);
  const mechanism = isNotificationMechanism(requested) ? requested : DEFAULT_NOTIFICATION_MECHANISM;
  const ttl = first(searchParams.ttl);
  const api = first(searchParams[API_PARAM]);
  const keep: Record<string, string> = { mechanism };
  if (ttl) keep.ttl = ttl;
  if (api) keep[API_PARAM] = api;
  return { mechanism, ttlS: clampTtl(ttl), keep };
}
