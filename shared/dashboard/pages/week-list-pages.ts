import type { DeliveryRules, InstallationRecord } from '../../store/installations.ts';
import { whatCounts } from '../../views/delivery-rows.ts';
import { escapeHtml, formatDayAndTime, formatValue } from '../../views/format.ts';
import type { MergedPullRequest } from '../merged-pull-requests.ts';
import type { WeekDeployment, WeekIncident } from '../week-deliveries.ts';
import { page, table, type Viewer, withheldNotice } from './layout.ts';

/** A week's lists of what its figures were computed from, by the CSV's `kind`. */
export const weekListKinds = ['pull-requests', 'deployments', 'incidents', 'ai-assisted'] as const;
export type WeekListKind = (typeof weekListKinds)[number];

const listNames: Record<WeekListKind, { link: string; title: string }> = {
  'pull-requests': { link: 'Merged pull requests', title: 'merged in' },
  deployments: { link: 'Deployments', title: 'deployments in' },
  incidents: { link: 'Incidents', title: 'incidents in' },
  'ai-assisted': { link: 'AI-assisted pull requests', title: 'AI-assisted in' },
};

/** A week's list: `/installations/{id}/weeks/{week}[/kind]`, a team's share with `team`. */
export function weekListPath(
  installationId: number,
  week: string,
  kind: WeekListKind,
  team?: number,
): string {
  const list = kind === 'pull-requests' ? '' : `/${kind}`;
  return `/installations/${installationId}/weeks/${week}${list}${team === undefined ? '' : `?team=${team}`}`;
}

/** The same rows as CSV over one week. */
function csvPath(installationId: number, week: string, kind: WeekListKind, team?: number) {
  const query = [
    ...(kind === 'pull-requests' ? [] : [`kind=${kind}`]),
    `from=${week}`,
    `to=${week}`,
    ...(team === undefined ? [] : [`team=${team}`]),
  ];
  return `/installations/${installationId}/pull-requests.csv?${query.join('&amp;')}`;
}

export interface WeekListOptions {
  showAuthors: boolean;
  /** Rows of repositories GitHub does not show the person were left out. */
  withheld: boolean;
  /** The team whose share is listed, if one. */
  team?: number | undefined;
  rules: DeliveryRules;
  /** The zone the week is cut in, its times shown in. */
  timeZone: string;
}

/** A week's list as a page: the way back, the week's other lists, the week before and after, the CSV. */
function weekList(
  installation: InstallationRecord,
  week: string,
  kind: WeekListKind,
  viewer: Viewer,
  options: WeekListOptions,
  body: string,
): string {
  const { installationId, accountLogin } = installation;
  const lists = (Object.keys(listNames) as WeekListKind[]).map((other) =>
    other === kind
      ? `<strong aria-current="page">${listNames[other].link}</strong>`
      : `<a href="${weekListPath(installationId, week, other, options.team)}">${listNames[other].link}</a>`,
  );
  const links = `<nav aria-label="This week's lists"><p>${lists.join(' · ')}</p></nav>`;
  const csv = `<p><a href="${csvPath(installationId, week, kind, options.team)}">This week as CSV</a></p>`;
  return page(
    `${accountLogin}: ${listNames[kind].title} ${week}`,
    `<p><a href="/installations/${installationId}">Back to ${escapeHtml(accountLogin)}</a></p>${links}${options.withheld ? withheldNotice(accountLogin) : ''}${csv}${body}`,
    viewer,
  );
}

const hours = (value: number | null) => escapeHtml(formatValue(value, 'h'));
const link = (url: string, text: string) => `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>`;
const when = (iso: string | null, timeZone: string) =>
  iso === null ? '—' : escapeHtml(formatDayAndTime(iso, timeZone));

/** The pull request column of a list: its link to GitHub and its title. */
const pullRequestCell = (pr: MergedPullRequest) =>
  `${link(pr.url, `${pr.repository}#${pr.number}`)} ${escapeHtml(pr.title)}`;

/**
 * The pull requests merged in a week, each linked to GitHub, with its
 * phases; with its author only where the installation shows per-person figures.
 */
export function weekPage(
  installation: InstallationRecord,
  week: string,
  pullRequests: readonly MergedPullRequest[],
  viewer: Viewer,
  options: WeekListOptions,
): string {
  const { showAuthors } = options;
  const list =
    pullRequests.length === 0
      ? '<p>No pull request was merged this week.</p>'
      : table(
          [
            { title: 'Pull request' },
            ...(showAuthors ? [{ title: 'Author' }] : []),
            { title: 'Cycle', number: true },
            { title: 'Coding', number: true },
            { title: 'Pickup', number: true },
            { title: 'Review', number: true },
            { title: 'Lines', number: true },
          ],
          pullRequests.map((pr) => [
            pullRequestCell(pr),
            ...(showAuthors ? [escapeHtml(pr.author)] : []),
            hours(pr.cycleHours),
            hours(pr.codingHours),
            hours(pr.pickupHours),
            hours(pr.reviewHours),
            pr.linesChanged === null ? '—' : String(pr.linesChanged),
          ]),
          `Pull requests merged in ${week}, oldest merge first`,
        );
  return weekList(installation, week, 'pull-requests', viewer, options, list);
}

/**
 * The production deployments that ended in a week: how each ended, what it
 * shipped, and for a failed one why it counts as failed and how long
 * production took to be good again.
 */
export function deploymentsPage(
  installation: InstallationRecord,
  week: string,
  deployments: readonly WeekDeployment[],
  viewer: Viewer,
  options: WeekListOptions,
): string {
  const failed = deployments.filter((deploy) => deploy.failedBecause.length > 0);
  const succeeded = deployments.filter((deploy) => deploy.state === 'success');
  const summary = `<p>${deployments.length} production deployments ended in ${escapeHtml(week)}: ${succeeded.length} succeeded (the deployment frequency), ${failed.length} of ${deployments.length} count as failed (the change failure rate).</p><p class="muted">${escapeHtml(whatCounts(options.rules))}</p>`;
  const list =
    deployments.length === 0
      ? '<p>No production deployment ended this week.</p>'
      : table(
          [
            { title: 'Deployment' },
            ...(options.showAuthors ? [{ title: 'By' }] : []),
            { title: 'Ended' },
            { title: 'Outcome' },
            { title: 'Shipped' },
            { title: 'Failed because' },
            { title: 'Restored in', number: true },
          ],
          deployments.map((deploy) => [
            `${escapeHtml(deploy.repository)} ${deploy.deploymentId}<br><span class="muted">${escapeHtml(deploy.environment)} · ${escapeHtml(deploy.sha.slice(0, 7))}</span>`,
            ...(options.showAuthors ? [escapeHtml(deploy.creator ?? '—')] : []),
            when(deploy.endedAt, options.timeZone),
            deploy.state === 'success'
              ? deploy.rollback
                ? 'success (a rollback)'
                : 'success'
              : 'failure',
            deploy.shipped.length === 0
              ? 'nothing new'
              : deploy.shipped.map((pr) => link(pr.url, `#${pr.number}`)).join(' '),
            deploy.failedBecause.length === 0
              ? '—'
              : `<strong>Failed:</strong> ${deploy.failedBecause.map(escapeHtml).join('; also ')}`,
            hours(deploy.restoreHours),
          ]),
          `Production deployments that ended in ${week} (${options.timeZone}), in the order they ended`,
        );
  return weekList(installation, week, 'deployments', viewer, options, summary + list);
}

/** The incidents opened in a week: when each closed, and the deployment it blamed. */
export function incidentsPage(
  installation: InstallationRecord,
  week: string,
  incidents: readonly WeekIncident[],
  viewer: Viewer,
  options: WeekListOptions,
): string {
  const blamed = (incident: WeekIncident) =>
    incident.blamed
      ? `deployment ${incident.blamed.deploymentId}, ended ${when(incident.blamed.endedAt, options.timeZone)}${incident.timesCount ? '' : ' <span class="muted">(failed first by another reason, whose times count)</span>'}`
      : 'none';
  const list =
    incidents.length === 0
      ? '<p>No incident was opened this week.</p>'
      : table(
          [
            { title: 'Incident' },
            { title: 'Opened' },
            { title: 'Closed' },
            { title: 'Restored in', number: true },
            { title: 'Blamed deployment' },
          ],
          incidents.map((incident) => [
            `${link(incident.url, `${incident.repository}#${incident.number}`)} ${escapeHtml(incident.title)}`,
            when(incident.openedAt, options.timeZone),
            when(incident.closedAt, options.timeZone),
            hours(incident.restoreHours),
            blamed(incident),
          ]),
          `Incidents opened in ${week} (${options.timeZone}), oldest first`,
        );
  const note = `<p class="muted">${escapeHtml(whatCounts(options.rules))} An incident fails the deployment it blames, which counts in the week that deployment ended.</p>`;
  return weekList(installation, week, 'incidents', viewer, options, note + list);
}

/** The week's merged pull requests marked AI-assisted, each with the signal that marked it. */
export function aiAssistedPage(
  installation: InstallationRecord,
  week: string,
  merged: readonly MergedPullRequest[],
  viewer: Viewer,
  options: WeekListOptions,
): string {
  const assisted = merged.filter((pr) => pr.aiSignal !== null);
  const summary = `<p>${assisted.length} of ${merged.length} merged pull requests were AI-assisted.</p>`;
  const list =
    assisted.length === 0
      ? '<p>No merged pull request was marked AI-assisted this week.</p>'
      : table(
          [
            { title: 'Pull request' },
            ...(options.showAuthors ? [{ title: 'Author' }] : []),
            { title: 'Marked by' },
            { title: 'Cycle', number: true },
          ],
          assisted.map((pr) => [
            pullRequestCell(pr),
            ...(options.showAuthors ? [escapeHtml(pr.author)] : []),
            escapeHtml(pr.aiSignal ?? ''),
            hours(pr.cycleHours),
          ]),
          `AI-assisted pull requests merged in ${week}, oldest merge first`,
        );
  return weekList(installation, week, 'ai-assisted', viewer, options, summary + list);
}
