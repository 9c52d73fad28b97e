import type { MorningNudge } from '../queue/morning-nudge.ts';
import { getInstallation } from '../store/installations.ts';
import {
  type NudgeTeam,
  openSlackUrl,
  readNudgeTeam,
  recordSlackFailure,
  type StoredSlackHook,
} from '../store/nudge-settings.ts';
import { claimEmail, markEmailSent, releaseEmailClaim } from '../store/sent-emails.ts';
import { type NudgeContent, nudgeSlackMessage, renderNudgeEmail } from './nudge-message.ts';
import { type MailDependencies, sendToAll } from './send-to-all.ts';
import type { PostToSlack } from './slack-sender.ts';

/** What the notifier needs for nudges beyond what its emails need. */
export interface NudgeDependencies {
  /** The dashboard's base URL: the nudge links to the team's page for the whole list. */
  dashboardUrl: string;
  slackKey: () => Promise<Buffer>;
  postToSlack: PostToSlack;
}

/** The sent-email records of a team's nudge on one day: each recipient's, and the channel's (recipient `slack`). */
export const nudgeKey = (day: string, teamId: number) => `morning-nudge:${day}:team#${teamId}`;
export const slackRecipient = 'slack';
/** Kept a month: long past any redelivery of the day's message. */
const nudgeRecordSeconds = 30 * 86_400;

/**
 * A team's morning nudge: by email to the team's recipients, and to its
 * Slack channel, each at most once per team and day however often the
 * message comes — a channel's post is claimed and marked as an email is,
 * so a crash between the post and the mark leaves it in doubt and it is not
 * posted again. Nothing waiting, no nudge set, or a team gone: nothing sent.
 * Slack refusing the hook for good is recorded on the team and the hook is
 * not tried again until a new URL is set.
 */
export async function sendMorningNudge(
  event: MorningNudge,
  deps: MailDependencies & {
    githubWebUrl: string;
    unsubscribeBaseUrl: string;
    nudge?: NudgeDependencies | undefined;
  },
): Promise<{ sent: number; skipped?: string }> {
  const { nudge } = deps;
  if (!nudge)
    throw new Error('[notifier] morning nudges are not wired (no Slack key or dashboard URL)');
  const installation = await getInstallation(deps.table, event.installationId);
  if (installation?.status !== 'active') return { sent: 0, skipped: 'installation not active' };
  const team = await readNudgeTeam(deps.table, event.installationId, event.teamId);
  if (!team || team.deleted || team.nudge?.hour === undefined)
    return { sent: 0, skipped: 'team gone or its nudge turned off' };
  if (event.items.length === 0) return { sent: 0, skipped: 'nothing waiting' };
  const content: NudgeContent = {
    teamName: team.name,
    accountLogin: installation.accountLogin,
    day: event.day,
    items: event.items,
    total: event.total,
    dashboardUrl: `${nudge.dashboardUrl.replace(/\/+$/, '')}/installations/${event.installationId}/teams/${event.teamId}`,
    githubWebUrl: deps.githubWebUrl,
    showAuthors: installation.showAuthors === true,
  };
  const emailKey = nudgeKey(event.day, event.teamId);
  const expiresAt = Math.floor(deps.now().getTime() / 1000) + nudgeRecordSeconds;
  let sent = 0;
  if (team.nudge.email && team.recipients.length > 0) {
    const unsubscribeBase = `${deps.unsubscribeBaseUrl.replace(/\/+$/, '')}/${event.installationId}/teams/${event.teamId}`;
    const emails = await sendToAll(deps, event.installationId, team.recipients, unsubscribeBase, {
      emailKey,
      expiresAt,
      render: (unsubscribeUrl) => renderNudgeEmail(content, unsubscribeUrl),
    });
    sent += emails.sent;
  }
  const hook = team.nudge.slack;
  if (hook && !hook.failure)
    sent += await postOnce(deps, nudge, team, hook, { event, content, emailKey, expiresAt });
  return { sent };
}

async function postOnce(
  deps: MailDependencies,
  nudge: NudgeDependencies,
  team: NudgeTeam,
  hook: StoredSlackHook,
  post: { event: MorningNudge; content: NudgeContent; emailKey: string; expiresAt: number },
): Promise<number> {
  const holder = { installationId: post.event.installationId, teamId: team.teamId };
  const message = nudgeSlackMessage(post.content);
  const url = openSlackUrl(await nudge.slackKey(), holder, hook);
  const refuse = async (status: number, error: string) => {
    await recordSlackFailure(deps.table, holder, hook.sealed, {
      at: deps.now().toISOString(),
      status,
      error,
    });
    deps.log('Slack refused the team’s webhook; recorded, not retried', {
      ...holder,
      status,
      error,
    });
  };
  if (!url) {
    await refuse(0, 'the stored URL does not open under the current key: set it again');
    return 0;
  }
  const ref = {
    installationId: holder.installationId,
    emailKey: post.emailKey,
    recipient: slackRecipient,
  };
  const claim = await claimEmail(deps.table, ref, deps.now(), post.expiresAt);
  if (claim !== 'claimed') {
    if (claim === 'in-doubt')
      deps.log(
        'Slack post claimed by another delivery, or one that stopped mid-send; not resent',
        ref,
      );
    return 0;
  }
  let outcome: Awaited<ReturnType<PostToSlack>>;
  try {
    outcome = await nudge.postToSlack(url, message);
  } catch (error) {
    await releaseEmailClaim(deps.table, ref);
    throw error;
  }
  if (!outcome.sent) {
    await refuse(outcome.status, outcome.error);
    await releaseEmailClaim(deps.table, ref);
    return 0;
  }
  await markEmailSent(deps.table, ref, slackRecipient, deps.now());
  deps.log('Slack nudge posted', ref);
  return 1;
}
