import { deploymentCreated, deploymentStatusCreated } from './deployment-events.ts';
import type { EventContext } from './event-context.ts';
import {
  installationCreated,
  installationPermissionsAccepted,
  installationRepositoriesChanged,
  installationStatusChanged,
  installationUnsuspended,
} from './installation-events.ts';
import { issueChanged } from './issue-events.ts';
import { pullRequestChanged, pullRequestReviewed } from './pull-request-events.ts';
import { releaseChanged, releaseWithdrawn } from './release-events.ts';
import { repositoryMoved } from './repository-events.ts';
import {
  membershipAdded,
  membershipRemoved,
  organizationMemberRemoved,
  teamChanged,
  teamDeleted,
} from './team-events.ts';

export type EventHandler = (payload: unknown, context: EventContext) => Promise<string>;

/**
 * The events Flowmeter acts on, as `event.action` or `event` (every action).
 * Anything else is acknowledged with 202 and ignored.
 */
const routes: Record<string, EventHandler> = {
  'installation.created': installationCreated,
  'installation.deleted': installationStatusChanged('deleted'),
  'installation.suspend': installationStatusChanged('suspended'),
  'installation.unsuspend': installationUnsuspended,
  'installation.new_permissions_accepted': installationPermissionsAccepted,
  'installation_repositories.added': installationRepositoriesChanged,
  'installation_repositories.removed': installationRepositoriesChanged,
  'deployment.created': deploymentCreated,
  'deployment_status.created': deploymentStatusCreated,
  issues: issueChanged,
  'release.published': releaseChanged,
  'release.edited': releaseChanged,
  'release.unpublished': releaseWithdrawn,
  'release.deleted': releaseWithdrawn,
  pull_request: pullRequestChanged,
  pull_request_review: pullRequestReviewed,
  'repository.renamed': repositoryMoved,
  'repository.transferred': repositoryMoved,
  'team.created': teamChanged,
  'team.edited': teamChanged,
  'team.deleted': teamDeleted,
  'membership.added': membershipAdded,
  'membership.removed': membershipRemoved,
  // Who joins the organisation is in no team until a `membership` added says so.
  'organization.member_removed': organizationMemberRemoved,
};

export function routeFor(eventName: string, action: unknown): EventHandler | undefined {
  return (
    (typeof action === 'string' ? routes[`${eventName}.${action}`] : undefined) ?? routes[eventName]
  );
}
