import type { NextRequest } from 'next/server';
import { clampTtl } from '@/lib/notifications';
import { sessionUser } from '@/lib/server/demo-session';
import { readTokenFor } from '@/lib/server/demo-tokens';
import { errorResponse, mintingFailed } from '@/lib/server/error-response';

/**
 * `GET /notifications/token?ttl=<s>` → the signed-in user's stream token, as text: what the
 * page's `getToken` calls before connecting and whenever the API says `token_expired`. It mints
 * for the session's user only — which user is never a parameter.
 */
export async function GET(request: NextRequest): Promise<Response> {
  const user = await sessionUser();
  if (!user) return errorResponse('unauthorized', 'Pick a demo user first');
  try {
    const token = await readTokenFor(user, clampTtl(request.nextUrl.searchParams.get('ttl')));
    return new Response(token, {
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    });
  } catch (error) {
    return mintingFailed(error);
  }
}
