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

/** The GitHub App a function acts as: its API, and its credentials from AWS or the laptop. */
export const githubAppEnvironment = {
  /** GitHub's REST/GraphQL base URL (deploy configuration `githubApiUrl`). */
  GITHUB_API_URL: z.url(),
  /** AWS: Secrets Manager secret holding {"appId": 123, "privateKey": "-----BEGIN ..."}. */
  GITHUB_APP_SECRET_ARN: optionalNonEmpty,
  /** Local: the App id and its PEM private key, inline or as a key file. */
  GITHUB_APP_ID: z.optional(wholeNumber(1)),
  GITHUB_APP_PRIVATE_KEY: optionalNonEmpty,
  GITHUB_APP_PRIVATE_KEY_PATH: optionalNonEmpty,
};

/**
 * How a function that spends an installation's shared GraphQL budget
 * (`github-budget.ts`) paces itself: the sync worker and the teams reading
 * keep the one reserve, so neither spends what the other was to leave.
 */
export const githubBudgetEnvironment = {
  /** GraphQL points kept for webhook-driven work; below it a reader waits for the reset. */
  SYNC_RATE_LIMIT_RESERVE: z._default(wholeNumber(0), 100),
  /** Gap between GitHub GraphQL requests; Octokit's default is 1000. */
  GITHUB_REQUEST_SPACING_MS: z._default(wholeNumber(0), 1000),
};

interface AppCredentialEnvironment {
  GITHUB_APP_SECRET_ARN?: string | undefined;
  GITHUB_APP_ID?: number | undefined;
  GITHUB_APP_PRIVATE_KEY?: string | undefined;
  GITHUB_APP_PRIVATE_KEY_PATH?: string | undefined;
}

/** Exactly one source of the App's credentials. */
export const oneAppCredentialSource = z.refine<AppCredentialEnvironment>(
  (env) =>
    Boolean(env.GITHUB_APP_SECRET_ARN) !==
    Boolean(env.GITHUB_APP_ID && (env.GITHUB_APP_PRIVATE_KEY || env.GITHUB_APP_PRIVATE_KEY_PATH)),
  {
    message:
      'set GITHUB_APP_SECRET_ARN (AWS) or GITHUB_APP_ID with GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_PATH (local), not both',
  },
);
