import { connection } from 'next/server';
import { JobsPage } from '@/components/JobsPage';
import { apiUrl } from '@/lib/api-url';
import { mechanismMetadata } from '@/lib/mechanism-route';

export const metadata = mechanismMetadata('message-queue');

/** Renders per request, so `API_URL` is read now and not baked in at build time. */
export default async function MessageQueuePage() {
  await connection();
  return <JobsPage apiUrl={apiUrl()} />;
}
