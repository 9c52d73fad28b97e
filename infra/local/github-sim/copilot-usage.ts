import { createHmac, randomBytes } from 'node:crypto';
import { copilotAgent, type Dataset } from './dataset.ts';
import { randomFor } from './random.ts';
import { notFound, type RestReply } from './rest-reply.ts';

/**
 * GitHub's Copilot usage metrics reports for the simulated organisation.
 * Usage follows the dataset: an author of an AI co-authored PR uses Copilot
 * on most weekdays of the week it was opened, everyone else on a few. The
 * report endpoints answer with signed download links, as GitHub does, and
 * the files are newline-delimited JSON in GitHub's field names.
 */
export type CopilotMetricsMode =
  /** Reports for every day from the dataset's start to two days ago. */
  | 'enabled'
  /** The organisation's Copilot usage metrics policy is off. */
  | 'disabled'
  /** The App was not granted "Organization Copilot metrics" (read). */
  | 'not-granted'
  /** Fewer than five Copilot users: GitHub answers 204, no content. */
  | 'too-few-users';

export type CopilotReportName = 'organization-1-day' | 'users-1-day';

const dayMs = 86_400_000;
/** GitHub publishes a day's report within two days. */
const publishDelayDays = 2;
const linkLifetimeMs = 3_600_000;

interface UserRow {
  day: string;
  organization_id: string;
  user_id: number;
  user_login: string;
  user_initiated_interaction_count: number;
  code_generation_activity_count: number;
  code_acceptance_activity_count: number;
  loc_suggested_to_add_sum: number;
  loc_suggested_to_delete_sum: number;
  loc_added_sum: number;
  loc_deleted_sum: number;
  used_chat: boolean;
  used_agent: boolean;
  used_cli: boolean;
  totals_by_ide: { ide: string; code_generation_activity_count: number }[];
}

interface OpenedOnDay {
  total: number;
  aiCoAuthored: number;
  byAgent: number;
}

interface DatasetFacts {
  /** Authors of AI co-authored PRs and those who asked Copilot's agent for one, by the week (its Monday, in days since 1970) it opened. */
  aiAuthorsByWeek: Map<number, Set<number>>;
  /** PRs opened each day (YYYY-MM-DD), how many of them AI co-authored, how many Copilot's agent opened. */
  openedByDay: Map<string, OpenedOnDay>;
}

const noneOpened: OpenedOnDay = { total: 0, aiCoAuthored: 0, byAgent: 0 };

/** The Monday of `at`'s ISO week, in days since 1970. */
const isoWeekKey = (at: number) => {
  const date = new Date(at);
  const weekday = date.getUTCDay() || 7;
  return Math.floor(
    (Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()) -
      (weekday - 1) * dayMs) /
      dayMs,
  );
};

export class CopilotUsage {
  mode: CopilotMetricsMode;
  private readonly secret = randomBytes(16).toString('hex');
  private facts: DatasetFacts | undefined;

  private readonly dataset: Dataset;
  private readonly now: () => number;

  constructor(dataset: Dataset, now: () => number, mode: CopilotMetricsMode = 'enabled') {
    this.dataset = dataset;
    this.now = now;
    this.mode = mode;
  }

  /** `GET /orgs/{org}/copilot/metrics/reports/{report}?day=`: links, or GitHub's refusals. */
  reportLinks(
    organisation: string,
    report: CopilotReportName,
    url: URL,
    baseUrl: string,
  ): RestReply {
    if (organisation.toLowerCase() !== this.dataset.organisation.login.toLowerCase())
      return notFound;
    if (this.mode === 'not-granted') return refused(403, 'Resource not accessible by integration');
    if (this.mode === 'disabled')
      return refused(403, 'Copilot Usage Metrics API access is disabled for this organization.');
    const day = url.searchParams.get('day') ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day)))
      return refused(422, 'Invalid request: day must be a date in YYYY-MM-DD format.');
    if (!this.published(day)) return notFound;
    if (this.mode === 'too-few-users') return { status: 204, body: undefined };
    const expires = this.now() + linkLifetimeMs;
    const path = `/copilot-reports/${this.dataset.organisation.login}/${report}/${day}.ndjson`;
    const link = `${baseUrl}${path}?expires=${expires}&signature=${this.sign(path, expires)}`;
    return { status: 200, body: { download_links: [link], report_day: day } };
  }

  /** A download link's file, if its signature holds and it has not expired; null for other paths. */
  download(url: URL): { status: number; body: string } | null {
    const match =
      /^\/copilot-reports\/([^/]+)\/(organization-1-day|users-1-day)\/(\d{4}-\d{2}-\d{2})\.ndjson$/.exec(
        url.pathname,
      );
    // Another organisation's report, or no report at all.
    if (!match || match[1]?.toLowerCase() !== this.dataset.organisation.login.toLowerCase())
      return null;
    const expires = Number(url.searchParams.get('expires'));
    if (
      url.searchParams.get('signature') !== this.sign(url.pathname, expires) ||
      expires < this.now()
    )
      return { status: 403, body: 'Request has expired or its signature does not match' };
    const [, , report, day] = match as unknown as [string, string, CopilotReportName, string];
    const users = this.userRows(day);
    const lines = report === 'users-1-day' ? users : [this.organisationRow(day, users)];
    return { status: 200, body: `${lines.map((line) => JSON.stringify(line)).join('\n')}\n` };
  }

  /** The users who used Copilot on `day`, each with their day's activity. */
  userRows(day: string): UserRow[] {
    const at = Date.parse(`${day}T00:00:00Z`);
    const weekend = [0, 6].includes(new Date(at).getUTCDay());
    const aiAuthors = this.datasetFacts().aiAuthorsByWeek.get(isoWeekKey(at)) ?? new Set<number>();
    return this.dataset.members
      .filter((member) => member.type === 'User')
      .flatMap((member) => {
        const random = randomFor(this.dataset.options.seed, 'copilot', day, member.id);
        const usesCopilot = aiAuthors.has(member.id) ? 0.8 : 0.15;
        if (!random.chance(weekend ? usesCopilot / 8 : usesCopilot)) return [];
        const generations = random.int(4, 60);
        const acceptances = Math.round(generations * (0.15 + random.next() * 0.3));
        const linesSuggested = generations * random.int(2, 6);
        const linesAdded = Math.round(linesSuggested * (acceptances / generations));
        return [
          {
            day,
            organization_id: String(this.dataset.organisation.id),
            user_id: member.id,
            user_login: member.login,
            user_initiated_interaction_count: random.int(0, 20),
            code_generation_activity_count: generations,
            code_acceptance_activity_count: acceptances,
            loc_suggested_to_add_sum: linesSuggested,
            loc_suggested_to_delete_sum: 0,
            loc_added_sum: linesAdded,
            loc_deleted_sum: 0,
            used_chat: random.chance(0.5),
            used_agent: random.chance(0.25),
            used_cli: random.chance(0.1),
            totals_by_ide: [{ ide: 'vscode', code_generation_activity_count: generations }],
          },
        ];
      });
  }

  /** The organisation's line for `day`: its totals, summed from the users' rows. */
  private organisationRow(day: string, users: readonly UserRow[]) {
    const sum = (field: keyof UserRow) =>
      users.reduce((total, user) => total + (user[field] as number), 0);
    const opened = this.datasetFacts().openedByDay.get(day) ?? noneOpened;
    return {
      organization_id: String(this.dataset.organisation.id),
      report_start_day: day,
      report_end_day: day,
      day_totals: [
        {
          day,
          organization_id: String(this.dataset.organisation.id),
          daily_active_users: users.length,
          code_generation_activity_count: sum('code_generation_activity_count'),
          code_acceptance_activity_count: sum('code_acceptance_activity_count'),
          loc_suggested_to_add_sum: sum('loc_suggested_to_add_sum'),
          loc_suggested_to_delete_sum: 0,
          loc_added_sum: sum('loc_added_sum'),
          loc_deleted_sum: 0,
          user_initiated_interaction_count: sum('user_initiated_interaction_count'),
          pull_requests: {
            total_created: opened.total,
            // Copilot reviews the AI co-authored PRs.
            total_created_by_copilot: opened.byAgent,
            total_reviewed_by_copilot: opened.aiCoAuthored,
          },
        },
      ],
    };
  }

  /** Whether GitHub has a report for `day`: from the dataset's first day to two days ago. */
  private published(day: string): boolean {
    const at = Date.parse(`${day}T00:00:00Z`);
    const first = this.dataset.options.now.getTime() - this.dataset.options.weeks * 7 * dayMs;
    return at >= first - dayMs && at <= this.now() - publishDelayDays * dayMs;
  }

  /** What the reports need of the dataset, read in one pass the first time. */
  private datasetFacts(): DatasetFacts {
    if (this.facts) return this.facts;
    const facts: DatasetFacts = { aiAuthorsByWeek: new Map(), openedByDay: new Map() };
    for (const repo of this.dataset.repositories) {
      for (let number = 1; number <= repo.pullRequestCount; number++) {
        const pr = this.dataset.pullRequest(repo, number);
        if (!pr) continue;
        const day = pr.createdAt.toISOString().slice(0, 10);
        const opened = facts.openedByDay.get(day) ?? { ...noneOpened };
        const asked = pr.author.id === copilotAgent.id;
        opened.total++;
        if (pr.aiCoAuthored) opened.aiCoAuthored++;
        if (asked) opened.byAgent++;
        facts.openedByDay.set(day, opened);
        const people = asked ? pr.assignees.filter((user) => user.type === 'User') : [pr.author];
        if (!pr.aiCoAuthored && !asked) continue;
        const week = isoWeekKey(pr.createdAt.getTime());
        const authors = facts.aiAuthorsByWeek.get(week) ?? new Set();
        for (const person of people) authors.add(person.id);
        facts.aiAuthorsByWeek.set(week, authors);
      }
    }
    this.facts = facts;
    return facts;
  }

  private sign(path: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${path}\n${expires}`).digest('hex');
  }
}

function refused(status: number, message: string): RestReply {
  return {
    status,
    body: {
      message,
      documentation_url: 'https://docs.github.com/rest/copilot/copilot-usage-metrics',
    },
  };
}
