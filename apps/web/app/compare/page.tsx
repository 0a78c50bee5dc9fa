import type { Metadata } from 'next';
import { connection } from 'next/server';
import { ComparePage } from '@/components/ComparePage';
import { apiTarget } from '@/lib/api-url';
import { readCompareParams } from '@/lib/compare-params';
import type { MechanismRouteProps } from '@/lib/mechanism-route';

export const metadata: Metadata = {
  title: 'Compare all six',
  description: 'Every mechanism on one channel, side by side: the same events, what each costs.',
};

/** Renders per request, so `API_URLS` / `API_URL` are read now and not baked in at build time. */
export default async function CompareRoute({ searchParams }: MechanismRouteProps) {
  await connection();
  const query = await searchParams;
  return <ComparePage {...apiTarget(query)} {...readCompareParams(query)} />;
}
