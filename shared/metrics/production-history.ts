import { matchesAdminPattern } from './admin-pattern.ts';
import { type Deployment, isProduction, outcome, type Release } from './deployment.ts';
import type { Assignee } from './pull-request.ts';

/** A merged pull request, as delivery metrics need it: where its merge commit landed. */
export interface MergedChange {
  number: number;
  /** Its author — or, for an AI agent's, the people assigned to it — whose teams it counts for (team-attribution.ts). */
  authorId: number;
  authorLogin: string;
  authorType: string;
  assignees?: Assignee[] | undefined;
  /** The commit the merge put on the default branch: a merge, squash or the last rebased commit. */
  mergeCommitSha: string;
  mergedAt: string;
  firstCommitAt: string | null;
  title: string;
  /** The branch it was merged from: GitHub's revert button names it `revert-<n>-…`. */
  headRef: string;
}

type RepositoryOf = Pick<Deployment, 'installationId' | 'repositoryId' | 'repositoryFullName'>;

/**
 * For a repository without GitHub deployments: each merge to the default
 * branch taken as a successful production deployment of its merge commit,
 * at the moment it merged (so its deploy phase is nil).
 */
export function mergesAsDeployments(
  repository: RepositoryOf,
  changes: readonly MergedChange[],
): Deployment[] {
  return changes.map((change) =>
    impliedDeployment(repository, {
      deploymentId: change.number,
      environment: impliedEnvironment,
      sha: change.mergeCommitSha,
      ref: change.headRef,
      creatorLogin: null,
      createdAt: change.mergedAt,
    }),
  );
}

/**
 * For a team that ships by release: each published release taken as a
 * successful deployment of its tag's commit when it was published — to
 * production, or for a pre-release to `prerelease`, which is not.
 */
export function releasesAsDeployments(releases: readonly Release[]): Deployment[] {
  return releases.map((release) =>
    impliedDeployment(release, {
      deploymentId: release.releaseId,
      environment: release.prerelease ? 'prerelease' : impliedEnvironment,
      sha: release.sha,
      ref: release.tagName,
      creatorLogin: release.authorLogin,
      createdAt: release.publishedAt,
    }),
  );
}

function impliedDeployment(
  { installationId, repositoryId, repositoryFullName }: RepositoryOf,
  facts: Omit<Deployment, keyof RepositoryOf | 'statuses'>,
): Deployment {
  return {
    installationId,
    repositoryId,
    repositoryFullName,
    ...facts,
    statuses: [{ deploymentId: facts.deploymentId, state: 'success', createdAt: facts.createdAt }],
  };
}

/** The environment merges and releases deploy to, production whatever the installation's pattern. */
const impliedEnvironment = 'production';
export const impliedProductionPattern = `^${impliedEnvironment}$`;

/** One production deployment that ended, and what it meant. */
export interface ProductionDeploy {
  deployment: Deployment;
  state: 'success' | 'failure';
  /** When it ended: its success, failure or error status. */
  at: string;
  /** A success of a commit older than the one its environment had: it ships nothing. */
  rollback: boolean;
  /** The merged changes it shipped first, with their merge times. */
  shipped: MergedChange[];
  /** Why it counts as a failed change, if it does: of several reasons, the one whose times these are. */
  failedBy: FailureReason | null;
  /** Every reason it failed for, in the order found (the failure status first): `failedBy` is one of them. */
  reasons: FailureReason[];
  /** When the failure began: the deployment's end, or the incident's opening. */
  failedAt: string | null;
  /** When production was good again: the next success of the environment, the rollback, the revert shipped, the incident closed. */
  restoredAt: string | null;
}

/**
 * Why a production deployment counts as a failed change, with what says so:
 * its last status (`failure` or `error`), the deployment that rolled it
 * back, the revert of a change it shipped, or the incident that blamed it.
 * The rollup counts by these and the dashboard names them, so the two
 * cannot disagree.
 */
export type FailureReason =
  | { kind: 'status'; state: string }
  | { kind: 'rollback'; deploymentId: number }
  | { kind: 'revert'; reverted: number; revert: number }
  | { kind: 'incident'; number: number; title: string };

/** An issue of the repository, as incidents are filed. */
export interface Incident {
  number: number;
  title: string;
  body: string | null;
  labels: string[];
  openedAt: string;
  closedAt: string | null;
}

/** Which issues are incidents, and how long after a deployment an unlinked one still blames it. */
export const defaultIncidentRules = { labelPattern: 'incident', windowHours: 24 };

/** An issue is an incident when one of its labels matches the pattern, ignoring case. */
export function isIncident(labels: readonly string[], labelPattern: string): boolean {
  return labels.some((name) => matchesAdminPattern(labelPattern, name));
}

export interface RepositoryDelivery {
  /** The default branch's commits, oldest first (GitHub's history, linear as merges land). */
  defaultBranch: readonly string[];
  deployments: readonly Deployment[];
  changes: readonly MergedChange[];
  incidents?: readonly Incident[];
  productionPattern?: string;
  incidentRules?: typeof defaultIncidentRules;
}

/**
 * A repository's production deployments in the order they ended, each with
 * the changes it shipped and whether it failed. A success ships the merged
 * changes between the commit its environment had and its own (its merge
 * commit's place on the default branch decides, so merge, squash and rebase
 * all count); each change is shipped once, by the first deployment that
 * carried it. A success of a commit older than the one its environment had
 * is a rollback: it ships nothing and fails the deployment it replaced (only
 * that one). A success of the commit its environment had ships nothing and
 * fails nothing. A deployment whose change is reverted (`Revert "…"`, or the
 * branch `revert-<n>-…`) by a later one, or by none yet, fails too. An
 * environment's first success on record is where counting starts: it ships
 * nothing, as what it replaced is unknown. An incident (an issue whose label
 * matches the pattern) fails one deployment: one it names — by its id, its
 * SHA or a PR it shipped — or else the last success that ended within the
 * window before it opened; never one further back. A deployment fails once,
 * however many reasons (`fail` says which one's times count).
 */
export function productionHistory(repository: RepositoryDelivery): ProductionDeploy[] {
  const position = new Map(repository.defaultBranch.map((sha, index) => [sha, index]));
  // Every merged change counts, bots' too (dependency bumps): DORA's lead time is of a change
  // reaching production, whoever made it, through the same deployments whose failures count.
  // The flow figures leave bots out (countsInFlowFigures) as they describe how people work.
  const changes = repository.changes
    .filter((change) => position.has(change.mergeCommitSha))
    .sort((a, b) => (position.get(a.mergeCommitSha) ?? 0) - (position.get(b.mergeCommitSha) ?? 0));
  const ended = repository.deployments
    .filter((deployment) => isProduction(deployment.environment, repository.productionPattern))
    .flatMap((deployment) => {
      const end = outcome(deployment);
      return end ? [{ deployment, ...end }] : [];
    })
    .sort(
      (a, b) => a.at.localeCompare(b.at) || a.deployment.deploymentId - b.deployment.deploymentId,
    );

  const history: ProductionDeploy[] = [];
  const environments = new Map<string, Environment>();
  const shippedBy = new Map<number, ProductionDeploy>();
  const ship = (deploy: ProductionDeploy, after: number, upTo: number) => {
    deploy.shipped = changes.filter((change) => {
      const at = position.get(change.mergeCommitSha) ?? -1;
      return at > after && at <= upTo && !shippedBy.has(change.number);
    });
    for (const change of deploy.shipped) shippedBy.set(change.number, deploy);
  };
  for (const { deployment, state, status, at } of ended) {
    const failedBy: FailureReason | null =
      state === 'failure' ? { kind: 'status', state: status } : null;
    const deploy: ProductionDeploy = {
      deployment,
      state,
      at,
      rollback: false,
      shipped: [],
      failedBy,
      reasons: failedBy ? [failedBy] : [],
      failedAt: failedBy ? at : null,
      restoredAt: null,
    };
    history.push(deploy);
    // GitHub's environment names ignore case: "Production" is "production".
    const name = deployment.environment.toLowerCase();
    const environment = environments.get(name) ?? { unrestored: [] };
    environments.set(name, environment);
    if (state === 'failure') {
      environment.unrestored.push(deploy);
      continue;
    }
    // Production is good again: this environment's failed deployments are restored.
    for (const failed of environment.unrestored.splice(0)) failed.restoredAt = at;
    moveTo(environment, deploy, position.get(deployment.sha), ship);
  }

  for (const revert of changes) {
    const reverted = revertedChange(revert, changes);
    const failed = reverted && shippedBy.get(reverted.number);
    const restoredBy = shippedBy.get(revert.number);
    // Shipped with its revert, a change never ran in production: that deployment did not fail by it.
    if (reverted && failed && restoredBy !== failed)
      fail(
        failed,
        { kind: 'revert', reverted: reverted.number, revert: revert.number },
        failed.at,
        restoredBy?.at ?? null,
      );
  }

  const rules = repository.incidentRules ?? defaultIncidentRules;
  const incidents = [...(repository.incidents ?? [])].sort((a, b) =>
    a.openedAt.localeCompare(b.openedAt),
  );
  for (const incident of incidents) {
    if (!isIncident(incident.labels, rules.labelPattern)) continue;
    const blamed = blamedDeployment(incident, history, rules.windowHours);
    if (blamed)
      fail(
        blamed,
        { kind: 'incident', number: incident.number, title: incident.title },
        incident.openedAt,
        incident.closedAt,
      );
  }
  return history;
}

/** What one production environment has as the history is walked. */
interface Environment {
  /** The default branch's place of the commit it has now; unknown before its first success on the branch. */
  place?: number;
  /** The deployment it runs: the one a rollback replaces. */
  current?: ProductionDeploy;
  /** Its failed deployments since its last success. */
  unrestored: ProductionDeploy[];
}

/**
 * A success moves its environment to its commit, compared with the commit it
 * has now — not the newest it ever had, so that deploying a rolled-back
 * commit again after the rollback is a roll-forward, not a second rollback.
 * Newer ships the changes in between; older is a rollback; the same commit
 * again, the first success on record and a commit off the default branch
 * (a maintenance branch's release) ship nothing.
 */
function moveTo(
  environment: Environment,
  deploy: ProductionDeploy,
  place: number | undefined,
  ship: (deploy: ProductionDeploy, after: number, upTo: number) => void,
): void {
  const had = environment.place;
  if (place !== undefined && had !== undefined && place < had) {
    deploy.rollback = true;
    // Only the deployment production ran was rolled back: those before it ran without a failure on record.
    const replaced = environment.current;
    if (replaced)
      fail(
        replaced,
        { kind: 'rollback', deploymentId: deploy.deployment.deploymentId },
        replaced.at,
        deploy.at,
      );
  } else if (place !== undefined && had !== undefined && place > had) {
    ship(deploy, had, place);
  }
  if (place !== undefined) environment.place = place;
  environment.current = deploy;
}

/**
 * Fails a deployment for one more reason. It fails once whatever its
 * reasons, with the times of the one that restored production first: from
 * then on production was good again. A reason not restored yet gives way to
 * one that is; on a tie the reason found first stays.
 */
function fail(
  deploy: ProductionDeploy,
  failedBy: FailureReason,
  failedAt: string,
  restoredAt: string | null,
): void {
  deploy.reasons.push(failedBy);
  const sooner =
    restoredAt !== null &&
    (deploy.restoredAt === null || Date.parse(restoredAt) < Date.parse(deploy.restoredAt));
  if (deploy.failedBy !== null && !sooner) return;
  Object.assign(deploy, { failedBy, failedAt, restoredAt });
}

/**
 * The one production deployment an incident is about: of those it names (a
 * SHA names every deployment of it), the last that ended before it opened,
 * else the first named; if it names none, the last success within the
 * window before it. One incident, one failed deployment.
 */
function blamedDeployment(
  incident: Incident,
  history: readonly ProductionDeploy[],
  windowHours: number,
): ProductionDeploy | undefined {
  const text = `${incident.title}\n${incident.body ?? ''}`;
  const hexWords = (text.match(/\b[0-9a-f]{7,40}\b/gi) ?? []).map((word) => word.toLowerCase());
  const pullRequests = new Set([...text.matchAll(/#(\d+)\b/g)].map((match) => Number(match[1])));
  const numbers = new Set(text.match(/\b\d+\b/g));
  const named = history.filter(
    (deploy) =>
      numbers.has(String(deploy.deployment.deploymentId)) ||
      hexWords.some((word) => deploy.deployment.sha.startsWith(word)) ||
      deploy.shipped.some((change) => pullRequests.has(change.number)),
  );
  // History is in the order deployments ended.
  const before = (deploy: ProductionDeploy) => deploy.at <= incident.openedAt;
  if (named.length > 0) return named.filter(before).at(-1) ?? named[0];
  const last = history.filter((deploy) => before(deploy) && deploy.state === 'success').at(-1);
  const window = windowHours * 3_600_000;
  return last && Date.parse(incident.openedAt) - Date.parse(last.at) <= window ? last : undefined;
}

/** The change a revert undoes: named by GitHub's `revert-<n>-…` branch, or by its `Revert "…"` title. */
function revertedChange(
  revert: MergedChange,
  changes: readonly MergedChange[],
): MergedChange | undefined {
  const byBranch = /^revert-(\d+)-/.exec(revert.headRef);
  if (byBranch) return changes.find((change) => change.number === Number(byBranch[1]));
  const byTitle = /^Revert "(.+)"$/.exec(revert.title);
  if (!byTitle) return undefined;
  return changes.findLast(
    (change) => change.title === byTitle[1] && change.mergedAt <= revert.mergedAt,
  );
}
