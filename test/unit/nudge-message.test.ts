import { describe, expect, it } from 'vitest';
import type { WaitingPullRequest } from '#shared/metrics/waiting-list.ts';
import { nudgeSlackMessage, renderNudgeEmail, slackLimits } from '#shared/notify/nudge-message.ts';

const waiting = (n: number): WaitingPullRequest => ({
  reason: n % 3 === 0 ? 'idle' : 'awaiting-review',
  repositoryId: 1,
  repositoryFullName: 'acme/a-repository-with-a-long-name',
  number: n,
  // GitHub allows 256 characters; mrkdwn escapes make some longer still.
  title: `<Refactor> & rename ${'x'.repeat(230)}`,
  authorLogin: 'alice',
  since: '2026-05-08T16:00:00Z',
  waitedMs: (300 - n) * 3_600_000,
});
const content = (count: number) => ({
  teamName: 'Platform',
  accountLogin: 'acme',
  day: '2026-05-11',
  items: Array.from({ length: count }, (_, i) => waiting(i + 1)),
  total: count,
  dashboardUrl: 'https://flowmeter.example/installations/1/teams/7',
  githubWebUrl: 'https://github.com',
  showAuthors: false,
});

type Section = { type: string; text?: { type: string; text: string } };

describe('the Slack nudge', () => {
  it("keeps a team with 200 waiting PRs within Block Kit's limits, the rest behind a dashboard link", () => {
    const message = nudgeSlackMessage(content(200));
    const blocks = message.blocks as Section[];
    const texts = blocks.map((block) => block.text?.text ?? '');
    expect(blocks.length).toBeLessThanOrEqual(slackLimits.blocks);
    expect(blocks[0]?.type).toBe('header');
    expect(texts[0]?.length).toBeLessThanOrEqual(slackLimits.headerText);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(slackLimits.sectionText);
    expect(texts.join('').length).toBeLessThanOrEqual(slackLimits.totalText);
    const shown = texts.join('\n').match(/^• /gm)?.length ?? 0;
    expect(shown).toBeGreaterThan(10);
    expect(texts.at(-1)).toBe(
      `…and ${200 - shown} more on <https://flowmeter.example/installations/1/teams/7|the dashboard>.`,
    );
    expect(message.text).toBe('200 pull requests waiting for Platform');
  });

  it('links each PR to GitHub, escapes mrkdwn, and names no author unless shown', () => {
    const texts = (nudgeSlackMessage(content(2)).blocks as Section[]).map(
      (b) => b.text?.text ?? '',
    );
    expect(texts[1]).toContain(
      '*Waiting for a first review*\n• <https://github.com/acme/a-repository-with-a-long-name/pull/1|acme/a-repository-with-a-long-name#1> &lt;Refactor&gt; &amp; rename',
    );
    expect(texts.join('')).not.toContain('alice');
    expect(texts.at(-1)).toBe(
      '<https://flowmeter.example/installations/1/teams/7|Open the dashboard>',
    );
  });
});

describe('the nudge email', () => {
  it('lists what it carries with links, and sends the rest to the dashboard', () => {
    const email = renderNudgeEmail({ ...content(3), total: 120 }, 'https://u.example/x');
    expect(email.subject).toBe('120 pull requests waiting for Platform (acme), 2026-05-11');
    expect(email.html).toContain(
      'href="https://github.com/acme/a-repository-with-a-long-name/pull/2"',
    );
    expect(email.text).toContain(
      '117 more are on the dashboard: https://flowmeter.example/installations/1/teams/7',
    );
    expect(email.text).toContain('Unsubscribe: https://u.example/x');
  });
});
