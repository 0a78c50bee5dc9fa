import { expect, test } from './support/fixtures';
import { behavesLikeAMechanismPage } from './support/mechanism-suite';

// A short interval keeps the specs quick; the behaviour is the same at the default 1 s.
const QUERY = { interval: '250' };

test.describe('HTTP pull (short polling)', () => {
  behavesLikeAMechanismPage('polling', QUERY);

  test('shows 304 Not Modified in the wire log while nothing changes', async ({
    mechanismPage,
    testChannel,
  }) => {
    await mechanismPage.open('polling', { channel: testChannel, ...QUERY });
    await expect(
      mechanismPage.wireLog.getByText(/GET \/api\/poll\/.*\b304\b/).first(),
    ).toBeVisible();
    await expect(
      mechanismPage.wireLog.getByText(/GET \/api\/poll\/.*\b200\b/).first(),
    ).toBeVisible();
  });
});
