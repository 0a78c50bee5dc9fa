import { connection } from 'next/server';
import { MechanismPage } from '@/components/MechanismPage';
import { apiUrl } from '@/lib/api-url';
import {
  mechanismMetadata,
  readMechanismParams,
  type MechanismRouteProps,
} from '@/lib/mechanism-route';

export const metadata = mechanismMetadata('polling');

export default async function PollingPage({ searchParams }: MechanismRouteProps) {
  await connection(); // render per request, so API_URL is read now and not at build time
  const params = readMechanismParams(await searchParams);
  return <MechanismPage mechanism="polling" apiUrl={apiUrl()} {...params} />;
}
