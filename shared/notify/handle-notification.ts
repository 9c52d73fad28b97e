import type { Notification } from '../queue/notification.ts';
import { getInstallation, listRepositories } from '../store/installations.ts';
import type { TableRef } from '../store/table.ts';
import { readTeam } from '../store/teams.ts';
import type { SyncedRepository } from '../sync/checkpoint.ts';
import { loadDigestContent } from './digest-content.ts';
import { renderDigest } from './digest-email.ts';
import { type NudgeDependencies, sendMorningNudge } from './morning-nudge.ts';
import { sendToAll } from './send-to-all.ts';
import type { SendEmail } from './ses-sender.ts';
import { renderSyncComplete, summariseInitialSync } from './sync-complete-email.ts';

export interface NotifierDependencies {
  table: TableRef;
  send: SendEmail;
  /** Where PR links point: https://github.com, a GitHub Enterprise host, or the simulator. */
  githubWebUrl: string;
  /** Public base of the unsubscribe route, e.g. https://<api>/unsubscribe. */
  unsubscribeBaseUrl: string;
  now: () => Date;
  log: (message: string, details: Record<string, unknown>) => void;
  /** What the morning nudge needs besides (`morning-nudge.ts`); without it a nudge is refused. */
  nudge?: NudgeDependencies;
}

export interface NotificationOutcome {
  sent: number;
  /** Why nothing (more) was sent, when that is the case. */
  skipped?: string;
}

/** Which email a sent-email record is about: `<kind>:<run>`. */
export const emailKeys = {
  // An installation id is never reused (a reinstall gets a new one): one
  // sync-complete email per installation is one per first backfill.
  syncComplete: 'sync-complete:initial',
  weeklyDigest: (week: string) => `weekly-digest:${week}`,
  teamDigest: (week: string, teamId: number) => `weekly-digest:${week}:team#${teamId}`,
} as const;

/** Digest records are kept about a year: long past any redelivery of the week's request. */
const digestRecordSeconds = 400 * 86_400;

/**
 * Turns a notification event into emails: the weekly digest (the
 * organisation's to its recipients, a team's to the team's), or — when the
 * event completes an installation's first backfill — the sync-complete
 * email. Each goes to every recipient at most once, however often the
 * event is delivered; without recipients nothing is sent and that is logged.
 */
export async function handleNotification(
  event: Notification,
  deps: NotifierDependencies,
): Promise<NotificationOutcome> {
  if (event.kind === 'morning-nudge') return sendMorningNudge(event, deps);
  const installation = await getInstallation(deps.table, event.installationId);
  if (!installation || installation.status === 'deleted')
    return { sent: 0, skipped: 'installation not recorded or deleted' };
  const teamId = event.kind === 'weekly-digest' ? event.teamId : undefined;
  const team =
    teamId === undefined
      ? undefined
      : await readTeam(deps.table, installation.installationId, teamId);
  if (teamId !== undefined && (!team || team.deletedAt !== null))
    return { sent: 0, skipped: 'team not recorded or deleted' };
  const recipients = (team ? team.settings.recipients : installation.recipients) ?? [];
  if (recipients.length === 0) {
    deps.log('no recipients set; no email sent (npm run settings -- --recipients ...)', {
      kind: event.kind,
      ...(teamId === undefined ? {} : { teamId }),
    });
    return { sent: 0, skipped: 'no recipients' };
  }
  const now = deps.now();
  // A team's recipients unsubscribe from the team's digest, not the organisation's.
  const unsubscribeBase = `${deps.unsubscribeBaseUrl.replace(/\/+$/, '')}/${installation.installationId}${teamId === undefined ? '' : `/teams/${teamId}`}`;
  if (event.kind === 'weekly-digest') {
    const content = await loadDigestContent(
      deps.table,
      installation,
      event.week,
      deps.githubWebUrl,
      teamId,
    );
    return sendToAll(deps, installation.installationId, recipients, unsubscribeBase, {
      emailKey:
        teamId === undefined
          ? emailKeys.weeklyDigest(event.week)
          : emailKeys.teamDigest(event.week, teamId),
      expiresAt: Math.floor(now.getTime() / 1000) + digestRecordSeconds,
      render: (unsubscribeUrl) => renderDigest(content, unsubscribeUrl),
    });
  }
  if (event.mode !== 'backfill') return { sent: 0, skipped: 'incremental syncs send no email' };
  const repositories = (await listRepositories(
    deps.table,
    event.installationId,
  )) as SyncedRepository[];
  const summary = summariseInitialSync(installation.accountLogin, repositories);
  if (summary === 'in-progress') return { sent: 0, skipped: 'other repositories still syncing' };
  return sendToAll(deps, installation.installationId, recipients, unsubscribeBase, {
    emailKey: emailKeys.syncComplete,
    render: (unsubscribeUrl) => renderSyncComplete(summary, unsubscribeUrl),
  });
}
