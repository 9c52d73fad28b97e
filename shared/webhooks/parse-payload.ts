import type * as z from 'zod/mini';
import { BadRequestError } from '../errors.ts';
import { describeIssues } from '../schema-issues.ts';

/** Validates a signed payload against the fields Flowmeter reads. */
export function parsePayload<T extends z.ZodMiniType>(
  schema: T,
  payload: unknown,
  eventName: string,
): z.infer<T> {
  const result = schema.safeParse(payload);
  if (!result.success) {
    const problems = describeIssues(result.error).slice(0, 5).join('; ');
    throw new BadRequestError(`${eventName} payload is missing what Flowmeter needs: ${problems}`);
  }
  return result.data;
}
