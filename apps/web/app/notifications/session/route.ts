import { NextResponse, type NextRequest } from 'next/server';
import { isDemoUser, NOTIFICATIONS_PATH } from '@/lib/notifications';
import { sessionCookie } from '@/lib/server/demo-session';
import { errorResponse } from '@/lib/server/error-response';

/** The page's own params, carried across the sign-in; nothing else from the form reaches the URL. */
const KEPT_PARAMS = ['mechanism', 'ttl', 'api'];

/**
 * `POST /notifications/session` (a plain form: `user=alice`) "signs in" as a demo user and goes
 * back to the page (303, so a reload does not post again). Stands in for a real login form.
 */
export async function POST(request: NextRequest): Promise<Response> {
  const form = await request.formData().catch(() => new FormData());
  const user = form.get('user');
  if (!isDemoUser(user)) return errorResponse('invalid_body', 'user must be one of the demo users');
  const back = new URL(NOTIFICATIONS_PATH, request.nextUrl);
  for (const name of KEPT_PARAMS) {
    const value = form.get(name);
    if (typeof value === 'string' && value) back.searchParams.set(name, value);
  }
  const response = NextResponse.redirect(back, 303);
  response.cookies.set(sessionCookie(user));
  return response;
}
