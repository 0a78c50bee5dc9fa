import { ClientError, publish } from '@pushpull/client';
import { ERROR_STATUS, type ErrorCode } from '@pushpull/contracts';
import { chooseApiTarget, configuredApiUrls } from '@/lib/api-url';
import {
  NOTIFICATION_TYPE,
  notificationChannel,
  SendNotificationSchema,
} from '@/lib/notifications';
import { sessionUser } from '@/lib/server/demo-session';
import { publishTokenFor } from '@/lib/server/demo-tokens';
import { errorResponse, mintingFailed } from '@/lib/server/error-response';

/**
 * `POST /notifications/send` with `{ to, text }` → 201 and the event as the API stored it. The
 * server publishes as a real backend would: with a publish token for the recipient's channel
 * alone, minted here and never shown to the browser. The sender is the session's user.
 */
export async function POST(request: Request): Promise<Response> {
  const from = await sessionUser();
  if (!from) return errorResponse('unauthorized', 'Pick a demo user first');
  // JSON only: a cross-site form cannot send it without a CORS preflight this server never grants.
  if (!request.headers.get('content-type')?.startsWith('application/json'))
    return errorResponse('unsupported_media_type', 'Send the notification as application/json');
  const body = SendNotificationSchema.safeParse(await request.json().catch(() => undefined));
  if (!body.success) return errorResponse('invalid_body', 'Expected { to, text }: to a demo user');

  const { to, text, api } = body.data;
  let token: string;
  try {
    token = await publishTokenFor(from, to);
  } catch (error) {
    return mintingFailed(error);
  }
  const { apiUrl } = chooseApiTarget(configuredApiUrls(), api);
  try {
    const event = await publish(
      apiUrl,
      notificationChannel(to),
      { type: NOTIFICATION_TYPE, data: { from, text } },
      { token },
    );
    return Response.json(event, { status: 201, headers: { 'Cache-Control': 'no-store' } });
  } catch (error) {
    return apiRefusal(ClientError.from(error), apiUrl);
  }
}

/** The API's own answer passed on as is; no answer at all is this server's 503. */
function apiRefusal(error: ClientError, apiUrl: string): Response {
  if (error.code in ERROR_STATUS) return errorResponse(error.code as ErrorCode, error.message);
  return errorResponse('unavailable', `The API at ${apiUrl} did not answer: ${error.message}`);
}
