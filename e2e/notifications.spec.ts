import { expect, test } from './support/fixtures';
import { NotificationsPage } from './support/notifications-page';

// Every mechanism that follows a channel (the message queue follows jobs, not users).
const MECHANISMS = ['polling', 'long-polling', 'sse', 'streaming', 'websocket'] as const;
/** Short enough that a test sees several renewals; long enough to outlive a loaded machine's hop. */
const SHORT_TTL_S = '3';

// The users' channels live as long as the API: each test marks its own notifications with a tag
// no other test uses, and counts only those.
for (const mechanism of MECHANISMS) {
  test.describe(`Notifications over ${mechanism}`, () => {
    test("alice sees hers and never bob's; the bell counts what she has not read", async ({
      notificationsPage: alice,
      browser,
      testChannel: tag,
    }) => {
      const bobContext = await browser.newContext();
      const bob = new NotificationsPage(await bobContext.newPage());
      try {
        await alice.signIn('alice', { mechanism });
        await bob.signIn('bob', { mechanism });
        // A channel delivers in order: once her own marker is in, so is all that earlier tests left.
        await alice.send('alice', `start ${tag}`);
        await expect(alice.notifications.filter({ hasText: `start ${tag}` })).toHaveCount(1);
        await alice.bell.click();
        await expect(alice.bell).toHaveAccessibleName('0 unread notifications');

        await alice.send('bob', `for bob ${tag}`);
        await expect(bob.notifications.filter({ hasText: `for bob ${tag}` })).toHaveCount(1);
        await bob.send('alice', `for alice ${tag} 1`);
        await bob.send('alice', `for alice ${tag} 2`);

        const hers = alice.notifications.filter({ hasText: `for alice ${tag}` });
        await expect(hers).toHaveCount(2);
        // Newest first, each from bob; bob's own one, delivered before these, never came.
        await expect(hers.nth(0)).toContainText(`for alice ${tag} 2`);
        await expect(hers.nth(1)).toContainText(`for alice ${tag} 1`);
        await expect(hers.nth(0)).toContainText('from bob');
        await expect(alice.notifications.filter({ hasText: 'for bob' })).toHaveCount(0);
        await expect(bob.notifications.filter({ hasText: 'for alice' })).toHaveCount(0);

        await expect(alice.bell).toHaveAccessibleName('2 unread notifications');
        await hers.nth(1).getByRole('button', { name: 'Mark read' }).click();
        await expect(alice.bell).toHaveAccessibleName('1 unread notification');
        await alice.bell.click();
        await expect(alice.bell).toHaveAccessibleName('0 unread notifications');
      } finally {
        await bobContext.close();
      }
    });

    test("opening bob's channel as alice shows the API's 403 forbidden", async ({
      notificationsPage: alice,
    }) => {
      await alice.signIn('alice', { mechanism });
      await alice.openChannelOf('bob');
      await expect(alice.otherChannel).toContainText('private:user:bob:notifications');
      await expect(alice.otherChannel.getByRole('status')).toHaveText('failed');
      await expect(alice.otherChannel.getByRole('alert')).toContainText(/^forbidden: /);
      await expect(alice.otherChannel.getByRole('list', { name: 'Wire log' })).toContainText('403');
      // Her own channel is untouched by the refusal.
      await expect(alice.status).toHaveText('open');
    });

    test(`with ${SHORT_TTL_S} s tokens, what is sent across several renewals arrives once each`, async ({
      notificationsPage: alice,
      testChannel: tag,
    }) => {
      await alice.signIn('alice', { mechanism, ttl: SHORT_TTL_S });
      const renewals = alice.wireLog.getByText('getToken → new token');
      const texts: string[] = [];
      for (let round = 1; round <= 3; round += 1) {
        // The first token is fetched before connecting; each one after it is a renewal.
        await expect(async () => {
          expect(await renewals.count()).toBeGreaterThan(round);
        }).toPass({ timeout: 15_000 });
        texts.push(`across renewal ${round} ${tag}`);
        await alice.send('alice', texts.at(-1)!);
      }

      const arrived = alice.notifications.filter({ hasText: tag });
      await expect(arrived).toHaveCount(texts.length);
      for (const text of texts)
        await expect(alice.notifications.filter({ hasText: text })).toHaveCount(1);
      await expect(alice.counter('duplicatesDropped')).toHaveText('0');
      await expect(alice.status).toHaveText('open');
    });
  });
}
