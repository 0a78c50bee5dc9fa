import { expect, test } from './support/fixtures';
import { behavesLikeAMechanismPage } from './support/mechanism-suite';

test.describe('Server-Sent Events (EventSource)', () => {
  behavesLikeAMechanismPage('sse');

  test('receives every event over one EventSource request, frame by frame', async ({
    mechanismPage,
    testChannel,
    publishMessages,
  }) => {
    await mechanismPage.open('sse', { channel: testChannel });
    await expect(mechanismPage.status).toHaveText('open');
    await publishMessages(testChannel, ['one', 'two', 'three']);
    await expect(mechanismPage.feedItems).toHaveCount(3);
    await expect(mechanismPage.counter('requests')).toHaveText('1');
    await expect(mechanismPage.wireLog.getByText(/^.*event \d+-\d+/)).toHaveCount(3);
  });
});
