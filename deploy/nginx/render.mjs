// Renders pushpull.conf, the one nginx config every run uses (`pnpm dev:cluster`, the e2e specs, a
// deployment), with this run's addresses. Only the three placeholders change; every setting stays
// in the template.
//
//   node deploy/nginx/render.mjs [--listen 8080] [--web 127.0.0.1:3000] \
//     [--api 127.0.0.1:4000 --api 127.0.0.1:4001] > pushpull.conf
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const TEMPLATE_PATH = fileURLToPath(new URL('./pushpull.conf', import.meta.url));

export const DEFAULTS = {
  listenPort: 8080,
  webServer: '127.0.0.1:3000',
  apiServers: ['127.0.0.1:4000', '127.0.0.1:4001'],
};

/**
 * The config with `@LISTEN_PORT@` and `@WEB_SERVER@` filled in and every line holding
 * `@API_SERVER@` repeated once per API instance (both upstream blocks list them all).
 * @param {{ listenPort: number; webServer: string; apiServers: string[] }} addresses
 * @returns {string}
 */
export function renderProxyConfig({ listenPort, webServer, apiServers }) {
  if (apiServers.length === 0) throw new Error('the proxy needs at least one API instance');
  return readFileSync(TEMPLATE_PATH, 'utf8')
    .split('\n')
    .flatMap((line) =>
      line.includes('@API_SERVER@')
        ? apiServers.map((server) => line.replaceAll('@API_SERVER@', server))
        : [line],
    )
    .join('\n')
    .replaceAll('@LISTEN_PORT@', String(listenPort))
    .replaceAll('@WEB_SERVER@', webServer);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      listen: { type: 'string' },
      web: { type: 'string' },
      api: { type: 'string', multiple: true },
    },
  });
  process.stdout.write(
    renderProxyConfig({
      listenPort: Number(values.listen ?? DEFAULTS.listenPort),
      webServer: values.web ?? DEFAULTS.webServer,
      apiServers: values.api ?? DEFAULTS.apiServers,
    }),
  );
}
