import type { NextConfig } from 'next';

// No rewrites on purpose: the browser talks straight to the API origin, because a proxy in between
// buffers streamed responses. The API URL is read per request (see lib/api-url.ts), never baked in.
const nextConfig: NextConfig = {
  reactStrictMode: true,
  // The workspace lints with one flat config (`pnpm lint`); no need to lint again inside the build.
  eslint: { ignoreDuringBuilds: true },
};

export default nextConfig;
