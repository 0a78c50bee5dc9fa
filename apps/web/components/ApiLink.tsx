'use client';

import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { Suspense, type ComponentProps } from 'react';
import { API_PARAM, withApiParam } from '@/lib/api-param';

type ApiLinkProps = Omit<ComponentProps<typeof Link>, 'href'> & { href: string };

/** A link to another page of the app that keeps this page's `?api=`: the instance stays chosen. */
export function ApiLink(props: ApiLinkProps) {
  // A page rendered at build time (/) has no search params yet, and Next asks for a Suspense
  // boundary around useSearchParams there: the plain link stands in until the browser has them.
  return (
    <Suspense fallback={<Link {...props} />}>
      <LinkKeepingApi {...props} />
    </Suspense>
  );
}

function LinkKeepingApi({ href, ...rest }: ApiLinkProps) {
  const api = useSearchParams().get(API_PARAM);
  return <Link href={withApiParam(href, api)} {...rest} />;
}
