import { countedRestoreMs, endedWithin } from '../metrics/delivery-week.ts';
import type { Window } from '../metrics/flow-metrics.ts';
import type { Incident } from '../metrics/production-history.ts';
import type { RepositoryHistory } from '../metrics/rollup.ts';
import { failureWords } from '../views/figure-reasons.ts';
import type { CsvColumn } from './csv.ts';
import { hours } from './merged-pull-requests.ts';

/** One production deployment that ended in the week, as its delivery figures count it. */
export interface WeekDeployment {
  repositoryId: number;
  repository: string;
  deploymentId: number;
  environment: string;
  sha: string;
  ref: string;
  /** Who made it (GitHub's creator, a release's author); shown only with per-person figures. */
  creator: string | null;
  endedAt: string;
  state: 'success' | 'failure';
  rollback: boolean;
  /** The merged pull requests it shipped first. */
  shipped: { number: number; title: string; url: string }[];
  /** Why it counts as failed, in words: the reason whose times count first, then any others; empty when it did not fail. */
  failedBecause: string[];
  /** Failure → production good again, in hours, when the week's time to restore counts it. */
  restoreHours: number | null;
}

const repositoryUrl = (webUrl: string, fullName: string) =>
  `${webUrl.replace(/\/+$/, '')}/${fullName}`;

/**
 * The week's production deployments from the histories its figures were
 * computed from, in the order they ended: the same `endedWithin`, failure
 * reasons and counted restore times as `deliveryWeek`, so the list and the
 * figures cannot disagree.
 */
export function weekDeployments(
  histories: readonly RepositoryHistory[],
  window: Window,
  webUrl: string,
): WeekDeployment[] {
  return histories
    .flatMap((repository) =>
      endedWithin([repository.history], window).map((deploy) => ({ repository, deploy })),
    )
    .sort(
      (a, b) =>
        a.deploy.at.localeCompare(b.deploy.at) ||
        a.deploy.deployment.deploymentId - b.deploy.deployment.deploymentId,
    )
    .map(({ repository, deploy }) => {
      const { deployment, failedBy } = deploy;
      const restore = countedRestoreMs(deploy, window.end);
      return {
        repositoryId: repository.repositoryId,
        repository: repository.repositoryFullName,
        deploymentId: deployment.deploymentId,
        environment: deployment.environment,
        sha: deployment.sha,
        ref: deployment.ref,
        creator: deployment.creatorLogin,
        endedAt: deploy.at,
        state: deploy.state,
        rollback: deploy.rollback,
        shipped: deploy.shipped.map((change) => ({
          number: change.number,
          title: change.title,
          url: `${repositoryUrl(webUrl, repository.repositoryFullName)}/pull/${change.number}`,
        })),
        failedBecause: failedBy
          ? [failedBy, ...deploy.reasons.filter((reason) => reason !== failedBy)].map(failureWords)
          : [],
        restoreHours: restore === null ? null : hours(restore),
      };
    });
}

/** An incident of a repository, as stored. */
export interface RepositoryIncident {
  repositoryId: number;
  repository: string;
  incident: Incident;
}

/** One incident opened in the week, with the deployment it blamed. */
export interface WeekIncident {
  repositoryId: number;
  repository: string;
  number: number;
  title: string;
  url: string;
  openedAt: string;
  closedAt: string | null;
  /** Opened → closed, in hours; null while open. */
  restoreHours: number | null;
  /** The deployment it blamed and when that ended; null when it blamed none. */
  blamed: { deploymentId: number; endedAt: string } | null;
  /** Whether its times are its deployment's failure and restore (the reason that restored production first). */
  timesCount: boolean;
}

/**
 * The incidents opened in the week, oldest first, each with the deployment
 * `productionHistory` found it blamed — read off that deployment's reasons,
 * never worked out twice.
 */
export function weekIncidents(
  incidents: readonly RepositoryIncident[],
  histories: readonly RepositoryHistory[],
  window: Window,
  webUrl: string,
): WeekIncident[] {
  const blamedBy = (repositoryId: number, number: number) =>
    histories
      .filter((repository) => repository.repositoryId === repositoryId)
      .flatMap((repository) => repository.history)
      .find((deploy) =>
        deploy.reasons.some((reason) => reason.kind === 'incident' && reason.number === number),
      );
  return incidents
    .filter(({ incident }) => {
      const at = Date.parse(incident.openedAt);
      return at >= window.start.getTime() && at < window.end.getTime();
    })
    .sort(
      (a, b) =>
        a.incident.openedAt.localeCompare(b.incident.openedAt) ||
        a.incident.number - b.incident.number,
    )
    .map(({ repositoryId, repository, incident }) => {
      const deploy = blamedBy(repositoryId, incident.number);
      return {
        repositoryId,
        repository,
        number: incident.number,
        title: incident.title,
        url: `${repositoryUrl(webUrl, repository)}/issues/${incident.number}`,
        openedAt: incident.openedAt,
        closedAt: incident.closedAt,
        restoreHours:
          incident.closedAt === null
            ? null
            : hours(Date.parse(incident.closedAt) - Date.parse(incident.openedAt)),
        blamed: deploy
          ? { deploymentId: deploy.deployment.deploymentId, endedAt: deploy.at }
          : null,
        timesCount:
          deploy?.failedBy?.kind === 'incident' && deploy.failedBy.number === incident.number,
      };
    });
}

/** The deployments CSV's columns; the creator only where per-person figures are on. */
export function deploymentColumns(showAuthors: boolean): CsvColumn<WeekDeployment>[] {
  return [
    ['repository', (row) => row.repository],
    ['deployment_id', (row) => row.deploymentId],
    ['environment', (row) => row.environment],
    ['sha', (row) => row.sha],
    ['ref', (row) => row.ref],
    ...(showAuthors ? [['creator', (row: WeekDeployment) => row.creator] as const] : []),
    ['ended_at', (row) => row.endedAt],
    ['state', (row) => row.state],
    ['rollback', (row) => row.rollback],
    ['shipped', (row) => row.shipped.map((change) => `#${change.number}`).join(' ')],
    ['failed', (row) => row.failedBecause.length > 0],
    ['failed_because', (row) => row.failedBecause.join('; ')],
    ['restore_hours', (row) => row.restoreHours],
  ];
}

export const incidentColumns: CsvColumn<WeekIncident>[] = [
  ['repository', (row) => row.repository],
  ['number', (row) => row.number],
  ['title', (row) => row.title],
  ['url', (row) => row.url],
  ['opened_at', (row) => row.openedAt],
  ['closed_at', (row) => row.closedAt],
  ['restore_hours', (row) => row.restoreHours],
  ['blamed_deployment', (row) => row.blamed?.deploymentId ?? null],
  ['times_count', (row) => row.timesCount],
];
