import { connection } from 'next/server';
import { JobsPage } from '@/components/JobsPage';
import { apiTarget } from '@/lib/api-url';
import { mechanismMetadata, type MechanismRouteProps } from '@/lib/mechanism-route';

export const metadata = mechanismMetadata('message-queue');

/** Renders per request, so `API_URLS` / `API_URL` are read now and not baked in at build time. */
export default async function MessageQueuePage({ searchParams }: MechanismRouteProps) {
  await connection();
  return <JobsPage {...apiTarget(await searchParams)} />;
}
