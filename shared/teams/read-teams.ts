import { mapWithConcurrency } from '../concurrency.ts';
import type { Graphql } from '../github/app-client.ts';
import { readOrganisationTeams, TeamsNotGrantedError } from '../github/organisation-teams.ts';
import { RateLimitedError } from '../github/rate-limited.ts';
import type { TeamsJob } from '../queue/teams-job.ts';
import { getInstallation } from '../store/installations.ts';
import { markRecentWeeks } from '../store/settings-version.ts';
import type { TableRef } from '../store/table.ts';
import { closeSpell, openSpell, refreshMembership } from '../store/team-members.ts';
import {
  markTeamDeleted,
  readTeams,
  recordTeam,
  recordTeamsAccess,
  type TeamsAccessRecord,
} from '../store/teams.ts';
import { budgetedGraphql } from './budgeted-graphql.ts';
import { compareReading, type ReadingChanges } from './compare-reading.ts';

export interface TeamsReadingDependencies {
  table: TableRef;
  /** GitHub's GraphQL as the job's installation. */
  graphql: Graphql;
  /** Points left in the installation's budget for webhook-driven work (the sync's reserve). */
  reserve: number;
  /** Queues the job again, after `delaySeconds` (SQS allows up to 900). */
  continueLater: (job: TeamsJob, delaySeconds: number) => Promise<void>;
  now: () => Date;
  log?: (message: string, details: Record<string, unknown>) => void;
}

export type TeamsReadingOutcome =
  /** Read and compared; the changes are stored. */
  | 'read'
  /** GitHub refused (no "Members" permission): recorded, asked again tomorrow, nothing else changed. */
  | 'not-granted'
  /** A user account has no teams: recorded, GitHub not asked. */
  | 'user-account'
  /** The budget or a limit: continued after the reset. */
  | 'waiting'
  /** Not an active installation: nothing to read. */
  | 'skipped';

/** Parallel writes of one reading: quick, and few enough not to throttle. */
const writeConcurrency = 8;

/**
 * Reads an installation's teams from GitHub and brings what is stored in
 * line (`compare-reading.ts`), as of the instant the reading began. Records
 * on the installation whether its teams can be read; a refusal or a user
 * account ends the job without a retry and changes nothing stored.
 */
export async function readTeamsOfInstallation(
  job: TeamsJob,
  deps: TeamsReadingDependencies,
): Promise<TeamsReadingOutcome> {
  const installation = await getInstallation(deps.table, job.installationId);
  if (installation?.status !== 'active') return 'skipped';
  const readAt = deps.now().toISOString();
  const access = (record: Omit<TeamsAccessRecord, 'readAt' | 'knownSince'>, knownSince?: string) =>
    recordTeamsAccess(deps.table, job.installationId, {
      ...record,
      readAt,
      knownSince: knownSince ?? installation.teams?.knownSince,
    });
  if (installation.accountType !== 'Organization') {
    await access({ access: 'user-account' });
    return 'user-account';
  }
  const graphql = budgetedGraphql(deps.graphql, {
    table: deps.table,
    installationId: job.installationId,
    reserve: deps.reserve,
    now: deps.now,
  });
  try {
    const reading = await readOrganisationTeams(graphql, installation.accountLogin);
    const stored = await readTeams(deps.table, job.installationId);
    const initial = !installation.teams?.knownSince;
    const changes = compareReading(stored, reading, { at: readAt, initial });
    await applyChanges(deps.table, job.installationId, changes, readAt);
    // A first reading gives the history its teams (its spells reach back before it): weeks
    // rolled up before it — the recent part's, which may race it on install — get their team
    // rows at the next rollup. A later one changes attribution only from its own time on.
    if (initial && changes.opened.length > 0)
      await markRecentWeeks(deps.table, installation, deps.now());
    await access({ access: 'granted' }, installation.teams?.knownSince ?? readAt);
    deps.log?.('teams read', { teams: reading.length, initial, ...counts(changes) });
    return 'read';
  } catch (error) {
    if (error instanceof TeamsNotGrantedError) {
      await access({ access: 'not-granted', detail: error.message });
      deps.log?.('GitHub refused the teams: no Members permission', { detail: error.message });
      return 'not-granted';
    }
    if (error instanceof RateLimitedError) {
      const seconds = Math.ceil((error.until - deps.now().getTime()) / 1000);
      await deps.continueLater(
        {
          ...job,
          trigger: 'continuation',
          idempotencyKey: `teams:${job.installationId}:${deps.now().toISOString()}`,
          requestedAt: deps.now().toISOString(),
        },
        Math.min(900, Math.max(1, seconds)),
      );
      return 'waiting';
    }
    throw error;
  }
}

/**
 * Stores a reading's changes, each write conditional (`team-members.ts`):
 * one that a webhook after `readAt` made moot is skipped. A crash part way
 * leaves the rest to the next reading, which finds them still to do.
 */
async function applyChanges(
  table: TableRef,
  installationId: number,
  changes: ReadingChanges,
  readAt: string,
): Promise<void> {
  const each = <T>(items: readonly T[], write: (item: T) => Promise<unknown>) =>
    mapWithConcurrency(items, writeConcurrency, write);
  await each(changes.recorded, (team) => recordTeam(table, installationId, team, readAt));
  await each(changes.opened, ({ joinedAt, ...membership }) =>
    openSpell(table, installationId, membership, { joinedAt, at: readAt }),
  );
  await each(changes.refreshed, (membership) =>
    refreshMembership(table, installationId, membership),
  );
  await each(changes.closed, (spell) => closeSpell(table, installationId, spell, readAt));
  await each(changes.deleted, (teamId) =>
    markTeamDeleted(table, installationId, teamId, readAt, true),
  );
}

const counts = (changes: ReadingChanges) =>
  Object.fromEntries(Object.entries(changes).map(([kind, items]) => [kind, items.length]));
