import { ClientError } from '@pushpull/client';
import { useCallback, useState } from 'react';

export interface Submission {
  /** True while a send runs: the form's button waits. */
  sending: boolean;
  /** The last send's refusal; a success clears it. */
  error?: ClientError;
  /** Runs `send`, keeping `sending` and `error` current; resolves whether it succeeded. */
  submit(send: () => Promise<unknown>): Promise<boolean>;
}

/** What every form that sends something shares: a busy flag and the refusal as a ClientError. */
export function useSubmission(): Submission {
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<ClientError>();
  const submit = useCallback(async (send: () => Promise<unknown>) => {
    setSending(true);
    try {
      await send();
      setError(undefined);
      return true;
    } catch (failure) {
      setError(ClientError.from(failure));
      return false;
    } finally {
      setSending(false);
    }
  }, []);
  return { sending, error, submit };
}
