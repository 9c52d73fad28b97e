import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { $ZodError } from 'zod/v4/core';

// zod/mini (a fifth of full zod's size and half its start-up time in every
// bundle) ships without messages. Every failed parse becomes text through
// this module, and every function's configuration passes through it at cold
// start, so English messages are configured here, before any schema parses.
z.config(en());

/** A failed parse as lines of `path: message` (`prefix` before each path), or the message alone for the whole value. */
export function describeIssues(error: z.core.$ZodError, prefix = ''): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.join('.');
    return path ? `${prefix}${path}: ${issue.message}` : issue.message;
  });
}

/**
 * Whether a thrown error is a failed parse. Imported by name: reaching the
 * class through `z.core` makes the bundler keep all of zod's core, every
 * locale with it (400 KB).
 */
export const isSchemaError = (error: unknown): error is $ZodError => error instanceof $ZodError;
