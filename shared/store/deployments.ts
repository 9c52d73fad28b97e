import { deliveryEventWeeks } from '../metrics/delivery-week.ts';
import type { Deployment, DeploymentFacts, DeploymentStatusFacts } from '../metrics/deployment.ts';
import { table } from '../resources.ts';
import { markWeeksDirty } from './dirty-weeks.ts';
import { keys } from './keys.ts';
import { batchWrite, type TableRef } from './table.ts';
import { queryTimeRange } from './time-range.ts';

/** A deployment's item and one per status: what is stored of it. */
export function deploymentItems({
  statuses,
  ...deployment
}: Deployment): Record<string, unknown>[] {
  const { installationId, repositoryId } = deployment;
  return [
    { ...keys.deployment(installationId, repositoryId, deployment), ...deployment },
    ...statuses.map((status) => ({
      ...keys.deploymentStatus(installationId, repositoryId, deployment, status),
      ...status,
    })),
  ];
}

/**
 * Stores a deployment, and one of its statuses when given. Each is its own
 * item written whole from GitHub's facts, so a redelivery or a status that
 * arrives before its deployment's own event changes nothing twice. The weeks
 * whose figures they can change are marked for the rollup: a late status
 * re-rolls its week, a rollback the weeks before.
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
  const times = [deployment.createdAt, ...(status ? [status.createdAt] : [])];
  await markWeeksDirty(ref, deployment.installationId, deliveryEventWeeks(times), now);
}

/**
 * A repository's deployments made between two times (all without them), in
 * the order they were made, each with its statuses: a range read, so a
 * week's rollup reads its weeks, not the repository's history.
 */
export async function repositoryDeployments(
  ref: TableRef,
  installationId: number,
  repositoryId: number,
  between?: { from: Date; to: Date },
): Promise<Deployment[]> {
  const items = await queryTimeRange<
    (DeploymentFacts | DeploymentStatusFacts) & Record<string, unknown>
  >(ref, { installationId, repositoryId }, 'DEPLOY', between);
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
