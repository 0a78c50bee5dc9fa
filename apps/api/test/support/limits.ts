import { ErrorBodySchema, type ErrorCode } from '@pushpull/contracts';
import { expect } from 'vitest';

/** Headers that make a request come from `ip` on a server started with TRUST_PROXY. */
export const from = (ip: string): Record<string, string> => ({ 'X-Forwarded-For': ip });

/** A contract error answer: the status, a JSON `{ error: { code, message } }` body, nosniff. */
export async function expectErrorAnswer(response: Response, status: number, code: ErrorCode) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  const body = ErrorBodySchema.parse(await response.json());
  expect(body.error.code).toBe(code);
  return body.error;
}

export function publishFrom(baseUrl: string, ip: string, channel: string, data: unknown = 1) {
  return fetch(`${baseUrl}/api/channels/${channel}/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...from(ip) },
    body: JSON.stringify({ type: 'n', data }),
  });
}
