import * as z from 'zod/mini';

/**
 * What a dispatcher's schedule (or an operator) invokes it with:
 * `scheduled`, what is due this hour; `now`, everything at once, for every
 * installation or one.
 */
export const dispatchEventSchema = z.object({
  mode: z._default(z.enum(['scheduled', 'now']), 'scheduled'),
  installationId: z.optional(z.int().check(z.positive())),
});
