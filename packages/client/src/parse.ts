import { ClientError } from './errors';

/** What the parsers need of a schema: any zod schema exported by @pushpull/contracts. */
export interface ContractSchema<T> {
  parse(value: unknown): T;
}

/**
 * Parses a body or frame (JSON text) with its contract schema. Anything that is not JSON, or does
 * not match, is `bad_response`, named after `what` so the wire log says which answer was wrong.
 */
export function parseContract<T>(schema: ContractSchema<T>, text: string, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw malformed(what, error);
  }
  return checkContract(schema, value, what);
}

/** The same for a value already decoded by the transport (a socket.io payload or ack). */
export function checkContract<T>(schema: ContractSchema<T>, value: unknown, what: string): T {
  try {
    return schema.parse(value);
  } catch (error) {
    throw malformed(what, error);
  }
}

function malformed(what: string, error: unknown): ClientError {
  return new ClientError('bad_response', `Malformed ${what}: ${reasonOf(error)}`);
}

/** One line: a ZodError's message is its issues as pretty-printed JSON, so name the first one. */
function reasonOf(error: unknown): string {
  const issue = (error as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues?.[0];
  if (issue) return `${issue.path.map(String).join('.') || 'value'}: ${issue.message}`;
  return error instanceof Error ? error.message : String(error);
}
