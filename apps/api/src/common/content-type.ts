import { ApiError } from './api-error';

/** Bodies are JSON only; anything else is 415 (checked after the route's own path checks). */
export function requireJson(contentType: string | undefined): void {
  if (!/^application\/json\s*(;|$)/i.test(contentType ?? '')) {
    throw new ApiError('unsupported_media_type', 'Send the body as Content-Type: application/json');
  }
}
