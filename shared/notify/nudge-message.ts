import type { IncomingWebhookSendArguments } from '@slack/webhook';
import type { WaitingPullRequest, WaitingReason } from '../metrics/waiting-list.ts';
import { escapeHtml } from '../views/format.ts';
import { reasonHeadings, waitingDetail } from '../views/waiting-words.ts';
import {
  type Column,
  type Email,
  htmlDocument,
  htmlTable,
  textDocument,
  textTable,
} from './email-parts.ts';

type SlackBlock = NonNullable<IncomingWebhookSendArguments['blocks']>[number];

/** A team's morning nudge, as Slack and email both say it. */
export interface NudgeContent {
  teamName: string;
  accountLogin: string;
  /** The team's local date. */
  day: string;
  /** The first of the waiting list, in its order. */
  items: readonly WaitingPullRequest[];
  /** How many are waiting in all. */
  total: number;
  /** The team's dashboard page, where the whole list is. */
  dashboardUrl: string;
  githubWebUrl: string;
  /** Per-person names only where the installation turned them on. */
  showAuthors: boolean;
}

const pullUrl = (content: NudgeContent, item: WaitingPullRequest) =>
  `${content.githubWebUrl.replace(/\/+$/, '')}/${item.repositoryFullName}/pull/${item.number}`;
const by = (content: NudgeContent, item: WaitingPullRequest) =>
  content.showAuthors ? ` by ${item.authorLogin}` : '';
const title = (content: NudgeContent) =>
  `${content.total} pull request${content.total === 1 ? '' : 's'} waiting for ${content.teamName}`;

/**
 * Slack's documented limits for a message (Block Kit): 50 blocks, 3,000
 * characters of text in a section, 150 in a header; and a message whose
 * blocks carry much more than 12,000 characters in all is refused
 * (`msg_blocks_too_long`), so the list stops short of that and ends with
 * the dashboard link for the rest.
 */
export const slackLimits = { blocks: 50, sectionText: 3000, headerText: 150, totalText: 12_000 };
const lineLength = 280;

/** Slack's mrkdwn needs &, < and > escaped; a link's text may not hold `|`. */
const mrkdwn = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function nudgeSlackMessage(content: NudgeContent): IncomingWebhookSendArguments {
  const header = title(content).slice(0, slackLimits.headerText);
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: header } }];
  // The footer's block and text are kept back from the start.
  let budget = slackLimits.totalText - header.length - 400;
  let shown = 0;
  let section = '';
  const flush = () => {
    if (section) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: section } });
    section = '';
  };
  const fits = (text: string) =>
    budget - text.length >= 0 &&
    blocks.length + (section ? 1 : 0) + 1 < slackLimits.blocks &&
    text.length <= slackLimits.sectionText;
  let reason: WaitingReason | undefined;
  for (const item of content.items) {
    const heading = item.reason === reason ? '' : `*${reasonHeadings[item.reason]}*\n`;
    const link = `<${pullUrl(content, item)}|${mrkdwn(`${item.repositoryFullName}#${item.number}`).replace(/\|/g, '¦')}>`;
    const line =
      `• ${link} ${mrkdwn(item.title)}${mrkdwn(by(content, item))} — ${waitingDetail(item)}`.slice(
        0,
        lineLength,
      );
    const text = `${heading}${line}`;
    if (heading || section.length + text.length + 1 > slackLimits.sectionText) flush();
    if (!fits(text)) break;
    section = section ? `${section}\n${text}` : text;
    budget -= text.length + 1;
    reason = item.reason;
    shown++;
  }
  flush();
  const rest = content.total - shown;
  blocks.push({
    type: 'section',
    text: {
      type: 'mrkdwn',
      text:
        rest > 0
          ? `…and ${rest} more on <${content.dashboardUrl}|the dashboard>.`
          : `<${content.dashboardUrl}|Open the dashboard>`,
    },
  });
  return { text: title(content), blocks, unfurl_links: false, unfurl_media: false };
}

const columns: Column[] = [
  { title: 'Pull request' },
  { title: 'Title' },
  { title: '', align: 'right' },
];

/** The same nudge as an email: a table per reason, and the dashboard link for the rest. */
export function renderNudgeEmail(content: NudgeContent, unsubscribeUrl: string): Email {
  const heading = `${title(content)} (${content.accountLogin}), ${content.day}`;
  const sections = [...new Set(content.items.map((item) => item.reason))].map((reason) => {
    const items = content.items.filter((item) => item.reason === reason);
    const cells = (item: WaitingPullRequest) => [
      `${item.repositoryFullName}#${item.number}`,
      `${item.title}${by(content, item)}`,
      waitingDetail(item),
    ];
    return {
      heading: reasonHeadings[reason],
      text: `${textTable(columns, items.map(cells))}\n${items.map((item) => `  ${pullUrl(content, item)}`).join('\n')}`,
      html: htmlTable(
        columns,
        items.map((item) => {
          const [name, text, detail] = cells(item).map((cell) => escapeHtml(cell));
          return [
            `<a href="${escapeHtml(pullUrl(content, item))}">${name}</a>`,
            text ?? '',
            detail ?? '',
          ];
        }),
      ),
    };
  });
  const rest = content.total - content.items.length;
  const more =
    rest > 0
      ? `${rest} more are on the dashboard: `
      : 'The list, kept current, is on the dashboard: ';
  return {
    subject: heading,
    text: textDocument({
      title: heading,
      intro: `${more}${content.dashboardUrl}`,
      sections,
      unsubscribeUrl,
    }),
    html: htmlDocument({
      title: heading,
      intro: `${escapeHtml(more)}<a href="${escapeHtml(content.dashboardUrl)}">${escapeHtml(content.dashboardUrl)}</a>`,
      sections,
      unsubscribeUrl,
    }),
  };
}
