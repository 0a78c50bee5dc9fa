import { z } from 'zod';

/**
 * A whole number read from the environment; `""` counts as unset so `FOO= pnpm dev` uses the
 * default. Shared by every process's config so a setting is parsed the same everywhere.
 */
export const wholeNumber = (fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(
    (value) => (value === '' || value === undefined ? fallback : value),
    z.coerce.number().int('must be a whole number').min(min).max(max),
  );

/** A bad setting: its message is one line, naming each variable, its value and what is wrong. */
export class ConfigError extends Error {}

const SECRET_NAME = /SECRET|TOKEN|PASSWORD/;

/** Validates the environment once, at start; throws a one-line ConfigError on a bad value. */
export function loadEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? 'environment');
    // A secret's value never goes to a log, even a bad one.
    const shown = SECRET_NAME.test(name) ? '<redacted>' : JSON.stringify(env[name] ?? '');
    return `${name}=${shown}: ${issue.message}`;
  });
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}
