import { expect, test } from './support/fixtures';
import { behavesLikeAMechanismPage } from './support/mechanism-suite';

test.describe('Long polling', () => {
  behavesLikeAMechanismPage('long-polling');

  test('holds each request until an event arrives: one request per delivery, no 304 churn', async ({
    mechanismPage,
    testChannel,
    publishMessages,
  }) => {
    await mechanismPage.open('long-polling', { channel: testChannel });
    await expect(mechanismPage.status).toHaveText('open');
    await publishMessages(testChannel, ['wakes the held request']);
    await expect(mechanismPage.feedItems).toHaveCount(1);
    await expect(
      mechanismPage.wireLog.getByText(/GET \/api\/long-poll\/.*wait=25.*\b200\b/).first(),
    ).toBeVisible();
    await expect(mechanismPage.wireLog.getByText(/\b304\b/)).toHaveCount(0);
  });
});
