import type { ClientError } from '@pushpull/client';

/** A client error as `code: message`: the code is what to search the docs (and the API) for. */
export function ErrorNotice({ error }: { error: ClientError | undefined }) {
  if (!error) return null;
  return (
    <p role="alert" className="error-notice">
      {`${error.code}: ${error.message}`}
    </p>
  );
}
