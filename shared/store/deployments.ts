import type { Deployment, DeploymentFacts, DeploymentStatusFacts } from '../metrics/deployment.ts';
import { isoWeek } from '../metrics/weeks.ts';
import { table } from '../resources.ts';
import { markWeeksDirty } from './dirty-weeks.ts';
import { keys } from './keys.ts';
import { batchWrite, queryAll, type TableRef } from './table.ts';

/** A deployment's item and one per status: what is stored of it. */
export function deploymentItems({
  statuses,
  ...deployment
}: Deployment): Record<string, unknown>[] {
  const { installationId, repositoryId, deploymentId } = deployment;
  return [
    { ...keys.deployment(installationId, repositoryId, deploymentId), ...deployment },
    ...statuses.map((status) => ({
      ...keys.deploymentStatus(installationId, repositoryId, status),
      ...status,
    })),
  ];
}

/**
 * Stores a deployment, and one of its statuses when given. Each is its own
 * item written whole from GitHub's facts, so a redelivery or a status that
 * arrives before its deployment's own event changes nothing twice. The weeks
 * they fall in are marked for the rollup: a late status re-rolls its week.
 */
export async function recordDeployment(
  ref: TableRef,
  deployment: DeploymentFacts,
  status: DeploymentStatusFacts | undefined,
  now: Date,
): Promise<void> {
  const items = deploymentItems({ ...deployment, statuses: status ? [status] : [] });
  await batchWrite(
    ref,
    items.map((Item) => ({ PutRequest: { Item } })),
  );
  const weeks = new Set(
    [deployment.createdAt, status?.createdAt].filter(Boolean).map((at) => isoWeek(at as string)),
  );
  await markWeeksDirty(ref, deployment.installationId, [...weeks], now);
}

/** A repository's deployments in id order, each with its statuses. */
export async function repositoryDeployments(
  ref: TableRef,
  installationId: number,
  repositoryId: number,
): Promise<Deployment[]> {
  const { partition, sortPrefix } = keys.deploymentsOf(installationId, repositoryId);
  const items = await queryAll<(DeploymentFacts | DeploymentStatusFacts) & Record<string, unknown>>(
    ref,
    {
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': table.partitionKey, '#sk': table.sortKey },
      ExpressionAttributeValues: { ':pk': partition, ':prefix': sortPrefix },
    },
  );
  const deployments = new Map<number, Deployment>();
  const statuses: DeploymentStatusFacts[] = [];
  for (const { [table.partitionKey]: _pk, [table.sortKey]: _sk, ...item } of items) {
    if ('state' in item) statuses.push(item as unknown as DeploymentStatusFacts);
    else
      deployments.set(item.deploymentId as number, {
        ...(item as unknown as DeploymentFacts),
        statuses: [],
      });
  }
  for (const status of statuses) deployments.get(status.deploymentId)?.statuses.push(status);
  for (const deployment of deployments.values()) {
    deployment.statuses.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
  return [...deployments.values()];
}
