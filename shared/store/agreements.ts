import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { WorkingAgreements } from '../metrics/agreements.ts';
import { keys } from './keys.ts';
import type { TableRef } from './table.ts';

/**
 * Working agreements as a team or the organisation sets them (the settings
 * page, `npm run settings`), each optional, kept as their own attribute
 * (`agreements`) of the team item or the installation item: a change of them
 * touches nothing else of either.
 */
export const agreementsAttribute = 'agreements';

const whole = (what: string, min: number, max: number) =>
  z
    .int({ error: `${what} must be a whole number` })
    .check(
      z.minimum(min, { error: `${what} must be at least ${min}` }),
      z.maximum(max, { error: `${what} must be at most ${max}` }),
    );

export const agreementsSchema = z.strictObject({
  /** Up to a month of hours. */
  firstReviewWithinHours: z.optional(whole('first review within (hours)', 1, 720)),
  maxChangedLines: z.optional(whole('PR size at most (changed lines)', 1, 100_000)),
  noMergeWithoutReview: z.optional(z.boolean()),
  cycleTimeWithinDays: z.optional(whole('cycle time under (days)', 1, 365)),
});

agreementsSchema satisfies z.ZodMiniType<WorkingAgreements>;

/** Whose agreements: the organisation's (no team) or one team's. */
export interface AgreementsHolder {
  installationId: number;
  teamId?: number;
}

/** The agreements stored on an item, as read back (absent: none set). */
export function storedAgreements(item: object | undefined): WorkingAgreements {
  const stored = (item as Record<string, unknown> | undefined)?.[agreementsAttribute];
  const parsed = agreementsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : {};
}

/**
 * Replaces the holder's agreements with `agreements` (validated; an empty
 * object clears them). Refused (DynamoDB's condition failure) for an
 * installation or a team not recorded, or a deleted team.
 */
export async function setAgreements(
  ref: TableRef,
  holder: AgreementsHolder,
  agreements: WorkingAgreements,
): Promise<WorkingAgreements> {
  const parsed = agreementsSchema.parse(agreements);
  const team = holder.teamId !== undefined;
  await ref.db.send(
    new UpdateCommand({
      TableName: ref.tableName,
      Key: team
        ? keys.team(holder.installationId, holder.teamId as number)
        : keys.installation(holder.installationId),
      UpdateExpression: 'SET #agreements = :agreements',
      ConditionExpression: team
        ? 'attribute_exists(teamId) AND attribute_not_exists(deletedAt)'
        : 'attribute_exists(accountLogin)',
      ExpressionAttributeNames: { '#agreements': agreementsAttribute },
      ExpressionAttributeValues: { ':agreements': parsed },
    }),
  );
  return parsed;
}
