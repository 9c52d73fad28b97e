import * as z from 'zod/mini';
import { ConfigError } from './errors.ts';
import { describeIssues } from './schema-issues.ts';

/**
 * Parses environment variables once, at cold start, and fails fast with every
 * problem listed. Each function's schema is in its `functions/<name>/function.ts`;
 * CDK is the only place that sets the variables in AWS, the local stack on a laptop.
 */
export function parseEnv<T extends z.ZodMiniType>(
  schema: T,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<T> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(`invalid configuration: ${describeIssues(result.error).join('; ')}`);
  }
  return result.data;
}

/** A variable that must be set to something. */
export const nonEmpty = z.string().check(z.trim(), z.minLength(1));
export const optionalNonEmpty = z.optional(nonEmpty);

/** A whole number from a variable's text, within bounds. */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER) {
  return z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max));
}
