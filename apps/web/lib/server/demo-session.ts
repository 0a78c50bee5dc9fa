// The demo's stand-in for a login: the user picked on the page, kept in an HttpOnly cookie. A real
// app reads its own session here (and nowhere else): everything downstream trusts only this.
import { cookies } from 'next/headers';
import { DemoUserSchema, NOTIFICATIONS_PATH, type DemoUser } from '../notifications';

const SESSION_COOKIE = 'pushpull_demo_user';
const SESSION_MAX_AGE_S = 24 * 60 * 60;

/** The signed-in demo user, or undefined before one is picked. */
export async function sessionUser(): Promise<DemoUser | undefined> {
  const parsed = DemoUserSchema.safeParse((await cookies()).get(SESSION_COOKIE)?.value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The cookie that "signs in" `user`. Path-scoped to the demo's routes: `localhost:3000` and the
 * API on `localhost:4000` share cookies (ports do not separate them), and the API has no business
 * with this one. `SameSite=Strict`: another site cannot send a notification as the user.
 */
export function sessionCookie(user: DemoUser) {
  return {
    name: SESSION_COOKIE,
    value: user,
    path: NOTIFICATIONS_PATH,
    httpOnly: true,
    sameSite: 'strict',
    maxAge: SESSION_MAX_AGE_S,
  } as const;
}
