import type { z } from 'zod';
import { BadRequestError } from '../errors.ts';

/** Validates a signed payload against the fields Flowmeter reads. */
export function parsePayload<T extends z.ZodType>(
  schema: T,
  payload: unknown,
  eventName: string,
): z.infer<T> {
  const result = schema.safeParse(payload);
  if (!result.success) {
    const problems = result.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new BadRequestError(`${eventName} payload is missing what Flowmeter needs: ${problems}`);
  }
  return result.data;
}
