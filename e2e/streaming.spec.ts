import { expect, test } from './support/fixtures';
import { behavesLikeAMechanismPage } from './support/mechanism-suite';

test.describe('Streaming over HTTP (NDJSON)', () => {
  behavesLikeAMechanismPage('streaming');

  test('shows event and heartbeat frames arriving on one streamed response', async ({
    mechanismPage,
    testChannel,
    publishMessages,
  }) => {
    await mechanismPage.open('streaming', { channel: testChannel });
    await expect(mechanismPage.status).toHaveText('open');
    await publishMessages(testChannel, ['framed']);
    await expect(mechanismPage.feedItems).toHaveCount(1);
    await expect(mechanismPage.counter('requests')).toHaveText('1');
    // The e2e API sends a heartbeat every second (HEARTBEAT_MS in playwright.config.ts).
    await expect(mechanismPage.wireLog.getByText('heartbeat').first()).toBeVisible();
  });
});
