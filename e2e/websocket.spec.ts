import { expect, test } from './support/fixtures';
import { behavesLikeAMechanismPage } from './support/mechanism-suite';

test.describe('WebSockets (socket.io)', () => {
  behavesLikeAMechanismPage('websocket');

  test('shows the transport in use and frames both ways in the wire log', async ({
    mechanismPage,
    testChannel,
    publishMessages,
  }) => {
    await mechanismPage.open('websocket', { channel: testChannel });
    await expect(mechanismPage.status).toHaveText('open');
    await expect(mechanismPage.page.getByText('via websocket')).toBeVisible();
    await publishMessages(testChannel, ['pushed']);
    await expect(mechanismPage.feedItems).toHaveCount(1);
    await expect(mechanismPage.wireLog.getByText(/subscribe \{"channel"/)).toBeVisible();
    await expect(mechanismPage.wireLog.getByText(/ack: \d+ events/)).toBeVisible();
    await expect(mechanismPage.wireLog.getByText(/event \d+-\d+/)).toBeVisible();
  });
});

// The same promises when socket.io cannot use a WebSocket and falls back to HTTP long-polling.
test.describe("WebSockets (socket.io) forced onto socket.io's HTTP long-polling transport", () => {
  behavesLikeAMechanismPage('websocket', { transport: 'polling' });

  test('says it runs over polling', async ({ mechanismPage, testChannel }) => {
    await mechanismPage.open('websocket', { channel: testChannel, transport: 'polling' });
    await expect(mechanismPage.status).toHaveText('open');
    await expect(mechanismPage.page.getByText('via polling')).toBeVisible();
  });
});
