/** The origins the specs run against; they match the API's CORS allow-list exactly. */
export const API_URL = 'http://localhost:4000';
export const WEB_URL = 'http://localhost:3000';

/**
 * The secret both servers share, as a deployment sets it: the web app's production build (`next
 * start`) refuses to mint tokens with the public development default, like the API does.
 */
export const STREAM_TOKEN_SECRET = 'e2e-stream-token-secret-of-at-least-32-bytes';

/** Chromium as root in a closed network: no sandbox, no GPU, no calls home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
