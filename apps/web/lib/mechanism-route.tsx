import type { MechanismId } from '@pushpull/contracts';
import { MECHANISMS } from '@pushpull/contracts';
import type { Metadata } from 'next';
import { connection } from 'next/server';
import { MechanismPage } from '@/components/MechanismPage';
import { apiTarget } from './api-url';

/** What Next 15 hands a page: search params arrive as a Promise. */
export interface MechanismRouteProps {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

/**
 * What a mechanism page takes from its URL: `?channel=demo&interval=500&after=<cursor>&transport=polling`
 * (and `?api=`, read by lib/api-url.ts).
 */
export interface MechanismParams {
  channel: string;
  /** Polling only: wait between answered requests, in ms. */
  intervalMs?: number;
  /** Resume after this cursor instead of from the oldest retained event. */
  after?: string;
  /** WebSocket only: force one socket.io transport (`polling` shows the HTTP fallback). */
  transport?: SocketTransport;
}

export type SocketTransport = 'websocket' | 'polling';
const SOCKET_TRANSPORTS: readonly string[] = ['websocket', 'polling'];

export const DEFAULT_CHANNEL = 'demo';

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Reads the page's params; an invalid channel is passed on as is so the API's error shows. */
export function readMechanismParams(
  searchParams: Record<string, string | string[] | undefined>,
): MechanismParams {
  const interval = Number(first(searchParams.interval));
  return {
    channel: first(searchParams.channel) || DEFAULT_CHANNEL,
    intervalMs: Number.isInteger(interval) && interval > 0 ? interval : undefined,
    after: first(searchParams.after) || undefined,
    transport: SOCKET_TRANSPORTS.includes(first(searchParams.transport) ?? '')
      ? (first(searchParams.transport) as SocketTransport)
      : undefined,
  };
}

export function mechanismMetadata(mechanism: MechanismId): Metadata {
  const { title, summary } = MECHANISMS[mechanism];
  return { title, description: summary };
}

/**
 * What `app/<mechanism>/page.tsx` exports: the page metadata and a server component that renders
 * per request (so `API_URLS` / `API_URL` are read now, not baked in at build time) and hands the
 * chosen API origin (`?api=`), every configured origin and the URL's params to the shared page.
 */
export function mechanismRoute(mechanism: MechanismId) {
  async function Page({ searchParams }: MechanismRouteProps) {
    await connection();
    const query = await searchParams;
    return (
      <MechanismPage mechanism={mechanism} {...apiTarget(query)} {...readMechanismParams(query)} />
    );
  }
  return { metadata: mechanismMetadata(mechanism), Page };
}
