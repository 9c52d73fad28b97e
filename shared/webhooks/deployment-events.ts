import {
  type DeploymentEvent,
  deploymentEventSchema,
  deploymentStatusEventSchema,
} from '../github/webhook-payloads.ts';
import { type DeploymentFacts, isProduction } from '../metrics/deployment.ts';
import { recordDeployment } from '../store/deployments.ts';
import { deliveryRules } from '../store/installations.ts';
import { coverRepository } from './cover-repository.ts';
import type { EventContext } from './event-context.ts';
import { parsePayload } from './parse-payload.ts';

/** deployment.created: a commit sent to an environment (GitHub Actions jobs with `environment:` make these). */
export async function deploymentCreated(payload: unknown, context: EventContext): Promise<string> {
  const event = parsePayload(deploymentEventSchema, payload, 'deployment');
  await coverRepository(event, context);
  const deployment = deploymentFacts(event);
  await recordDeployment(context.table, deployment, undefined, context.now);
  return `${deployment.repositoryFullName} deployment ${deployment.deploymentId} to ${deployment.environment}`;
}

/**
 * deployment_status.created: how a deployment went; it carries the
 * deployment too, so order does not matter. A production deployment that
 * succeeded asks for its repository's sync: the default branch's newest
 * commits (which merged PRs it shipped) come from there, not from webhooks.
 */
export async function deploymentStatusCreated(
  payload: unknown,
  context: EventContext,
): Promise<string> {
  const event = parsePayload(deploymentStatusEventSchema, payload, 'deployment_status');
  await coverRepository(event, context);
  const deployment = deploymentFacts(event);
  const status = event.deployment_status;
  await recordDeployment(
    context.table,
    deployment,
    {
      deploymentId: deployment.deploymentId,
      state: status.state,
      createdAt: status.created_at,
    },
    context.now,
  );
  if (status.state === 'success') {
    const { installation } = context;
    const { productionPattern } = deliveryRules(installation ?? {});
    if (
      installation?.status === 'active' &&
      isProduction(deployment.environment, productionPattern)
    ) {
      await context.requestSync({
        installationId: deployment.installationId,
        repositories: [{ id: deployment.repositoryId, fullName: deployment.repositoryFullName }],
        trigger: 'deployment',
      });
    }
  }
  return `${deployment.repositoryFullName} deployment ${deployment.deploymentId} ${status.state}`;
}

function deploymentFacts(event: DeploymentEvent): DeploymentFacts {
  const { deployment, repository } = event;
  return {
    installationId: event.installation.id,
    repositoryId: repository.id,
    repositoryFullName: repository.full_name,
    deploymentId: deployment.id,
    environment: deployment.environment,
    sha: deployment.sha,
    ref: deployment.ref,
    creatorLogin: deployment.creator?.login ?? null,
    createdAt: deployment.created_at,
  };
}
