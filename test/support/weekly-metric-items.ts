import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { table } from '#shared/resources.ts';
import type { StackHarness } from './local-stack.ts';

/** Every stored weekly metric row of an installation, as the API and the digest read them. */
export async function weeklyMetricItems(harness: StackHarness, installationId: number) {
  const { Items = [] } = await harness.db.send(
    new QueryCommand({
      TableName: harness.stack.aws.tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': table.partitionKey },
      ExpressionAttributeValues: { ':pk': `INST#${installationId}#METRICS` },
    }),
  );
  return Items;
}
