import type { SQSClient } from '@aws-sdk/client-sqs';
import { mapWithConcurrency } from '../concurrency.ts';
import { effectiveAgreements } from '../metrics/agreements.ts';
import { type NudgeDue, nudgeDue } from '../metrics/nudge-day.ts';
import { TeamDirectory } from '../metrics/team-attribution.ts';
import { waitingList, waitingRules } from '../metrics/waiting-list.ts';
import { outgoingMessage } from '../queue/message.ts';
import {
  carriedItems,
  carriedTitleLength,
  type MorningNudge,
  morningNudgeSchema,
} from '../queue/morning-nudge.ts';
import { sendMessages } from '../queue/send-batch.ts';
import { storedAgreements } from '../store/agreements.ts';
import {
  type InstallationRecord,
  installationTimeZone,
  listInstallations,
  listRepositories,
} from '../store/installations.ts';
import {
  type NudgeTeam,
  nudgeCalendars,
  nudgeHoursAttribute,
  readNudgeTeam,
} from '../store/nudge-settings.ts';
import { readOpenPullRequests } from '../store/open-pull-requests.ts';
import { weekPullRequests } from '../store/pull-requests.ts';
import type { TableRef } from '../store/table.ts';
import { readTeams } from '../store/teams.ts';

/**
 * The hourly morning run: for each installation, the teams whose nudge hour
 * it is on their clock (`nudgeHours` and `teamTimeZones` on the
 * installation item, so the listing alone says so), and of those the ones
 * on a working day. Only an installation with such a team is read further,
 * once for all its teams: its team directory, its open set (one Query on
 * gsi1) and the PRs opened or closed since the earliest last nudge (the two
 * week indexes) — never a scan. Each team with something waiting gets one
 * message; its key names the team's day, so a schedule that fires twice
 * sends nothing twice. `now` (`npm start`, an operator): every team with a
 * nudge, whatever the hour and day.
 */
export async function dispatchNudges(
  table: TableRef,
  sqs: Pick<SQSClient, 'send'>,
  notifyQueueUrl: string,
  now: Date,
  mode: 'scheduled' | 'now' = 'scheduled',
  onlyInstallationId?: number,
): Promise<MorningNudge[]> {
  const nudges: MorningNudge[] = [];
  for (const installation of await listInstallations(table)) {
    if (installation.status !== 'active') continue;
    if (onlyInstallationId !== undefined && installation.installationId !== onlyInstallationId)
      continue;
    nudges.push(
      ...(await installationNudges(
        table,
        installation as InstallationRecord & Record<string, unknown>,
        now,
        mode,
      )),
    );
  }
  await sendMessages(
    sqs,
    notifyQueueUrl,
    nudges.map((nudge, index) => outgoingMessage(morningNudgeSchema, nudge, String(index))),
  );
  return nudges;
}

async function installationNudges(
  table: TableRef,
  installation: InstallationRecord & Record<string, unknown>,
  now: Date,
  mode: 'scheduled' | 'now',
): Promise<MorningNudge[]> {
  const id = installation.installationId;
  const hours = (installation[nudgeHoursAttribute] ?? {}) as Record<string, number>;
  const zoneOf = (teamId: string) =>
    installation.teamTimeZones?.[teamId] ?? installationTimeZone(installation);
  // Within the hour on the team's clock, before any read; a calendar's zone is read with its team.
  const candidates = Object.entries(hours).filter(
    ([teamId, hour]) =>
      mode === 'now' || nudgeDue(now, hour, zoneOf(teamId), undefined, { anyDay: true }),
  );
  if (candidates.length === 0) return [];
  const teams = await mapWithConcurrency(candidates, 8, async ([teamId, hour]) => {
    const team = await readNudgeTeam(table, id, Number(teamId));
    if (!team || team.deleted || team.nudge?.hour !== hour) return [];
    const calendars = nudgeCalendars(team, installation, zoneOf(teamId));
    const due = nudgeDue(now, hour, zoneOf(teamId), calendars.days, {
      anyHour: mode === 'now',
      anyDay: mode === 'now',
    });
    return due ? [{ team, due, counting: calendars.counting }] : [];
  });
  const due = teams.flat();
  if (due.length === 0) return [];
  const earliest = Math.min(...due.map(({ due }) => due.since.getTime()));
  const [directory, open, repositories, recent] = await Promise.all([
    readTeams(table, id),
    readOpenPullRequests(table, id),
    listRepositories(table, id),
    weekPullRequests(table, id, { start: new Date(earliest), end: now }),
  ]);
  const active = new Set(
    repositories.filter((repo) => repo.active).map((repo) => repo.repositoryId),
  );
  const ofActive = <T extends { repositoryId: number }>(items: readonly T[]) =>
    items.filter((item) => active.has(item.repositoryId));
  const teamDirectory = new TeamDirectory(directory.teams, directory.spells);
  const organisation = storedAgreements(installation);
  return due.flatMap(({ team, due: when, counting }) => {
    const items = waitingList({
      open: { pullRequests: ofActive(open.pullRequests), requests: ofActive(open.requests) },
      recent: ofActive(recent),
      window: { start: when.since, end: now },
      rules: waitingRules(effectiveAgreements(team.agreements, organisation), team.nudge?.idleDays),
      calendar: counting,
      team: { teamId: team.teamId, directory: teamDirectory },
    });
    return items.length === 0 ? [] : [nudgeMessage(id, team, when, items)];
  });
}

function nudgeMessage(
  installationId: number,
  team: NudgeTeam,
  due: NudgeDue,
  items: ReturnType<typeof waitingList>,
): MorningNudge {
  return {
    version: 1,
    kind: 'morning-nudge',
    idempotencyKey: `nudge:${installationId}:${team.teamId}:${due.day}`,
    installationId,
    teamId: team.teamId,
    day: due.day,
    at: due.at.toISOString(),
    items: items
      .slice(0, carriedItems)
      .map((item) => ({ ...item, title: item.title.slice(0, carriedTitleLength) })),
    total: items.length,
  };
}
