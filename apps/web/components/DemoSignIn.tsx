import { DEMO_USERS, NOTIFICATIONS_PATH, type DemoUser } from '@/lib/notifications';

/**
 * Stands in for a login: a plain form posted to the web server, which keeps the choice in an
 * HttpOnly cookie (lib/server/demo-session.ts). Works before any script has loaded.
 */
export function DemoSignIn({
  user,
  keep,
}: {
  user: DemoUser | undefined;
  /** The page's params (`mechanism`, `ttl`, `api`) to come back to. */
  keep: Record<string, string>;
}) {
  return (
    <form className="channel-form" method="post" action={`${NOTIFICATIONS_PATH}/session`}>
      <label htmlFor="demo-user">Demo user</label>
      <select id="demo-user" name="user" defaultValue={user ?? DEMO_USERS[0]}>
        {DEMO_USERS.map((name) => (
          <option key={name}>{name}</option>
        ))}
      </select>
      {Object.entries(keep).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit">{user ? 'Switch user' : 'Sign in'}</button>
    </form>
  );
}
