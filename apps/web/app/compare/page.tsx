import type { Metadata } from 'next';
import { connection } from 'next/server';
import { ComparePage } from '@/components/ComparePage';
import { apiUrl } from '@/lib/api-url';
import { readCompareParams } from '@/lib/compare-params';
import type { MechanismRouteProps } from '@/lib/mechanism-route';

export const metadata: Metadata = {
  title: 'Compare all six',
  description: 'Every mechanism on one channel, side by side: the same events, what each costs.',
};

/** Renders per request, so `API_URL` is read now and not baked in at build time. */
export default async function CompareRoute({ searchParams }: MechanismRouteProps) {
  await connection();
  const params = readCompareParams(await searchParams);
  return <ComparePage apiUrl={apiUrl()} {...params} />;
}
