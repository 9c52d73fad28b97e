import { describe, expect, it } from 'vitest';
import { type MergedPullRequest, pullRequestsCsv } from '#shared/dashboard/merged-pull-requests.ts';

const row = (title: string): MergedPullRequest => ({
  repositoryId: 1,
  repository: 'acme/app',
  number: 7,
  title,
  author: 'ada',
  url: 'https://github.com/acme/app/pull/7',
  createdAt: '2026-11-16T09:00:00Z',
  mergedAt: '2026-11-17T09:00:00Z',
  cycleHours: 24,
  codingHours: 2,
  pickupHours: null,
  reviewHours: -0.5,
  linesChanged: 12,
  aiSignal: null,
});

describe('the pull requests CSV', () => {
  it("neutralises every cell a spreadsheet would run as a formula, OWASP's way", () => {
    const csv = pullRequestsCsv(
      [
        '=HYPERLINK("https://evil.example","x")',
        '+1',
        '-2+3',
        '@SUM(A1)',
        '\tcmd',
        '\rcmd',
        'two\nlines',
        'Fine',
      ].map(row),
      { showAuthors: false },
    );
    const titles = csv
      .split('\r\n')
      .slice(1, -1)
      .map((line) => line.split(',')[2]);
    // By hand: a leading ' makes each a text cell; quotes double and a cell with a comma, quote or CR is quoted.
    expect(csv).toContain('"\'=HYPERLINK(""https://evil.example"",""x"")"');
    expect(titles.slice(1)).toEqual([
      "'+1",
      "'-2+3",
      "'@SUM(A1)",
      "'\tcmd",
      '"\'\rcmd"',
      '"two\nlines"',
      'Fine',
    ]);
    // A number keeps its sign: only text is escaped.
    expect(csv.split('\r\n')[1]?.split(',').at(-2)).toBe('-0.5');
  });

  it('carries an author column only where per-person figures are on', () => {
    const without = pullRequestsCsv([row('Fine')], { showAuthors: false });
    const withAuthors = pullRequestsCsv([row('Fine')], { showAuthors: true });
    expect(without.split('\r\n')[0]).not.toContain('author');
    expect(without).not.toContain('ada');
    expect(withAuthors.split('\r\n')[0]).toBe(
      'repository,number,title,author,url,created_at,merged_at,cycle_hours,coding_hours,pickup_hours,review_hours,lines_changed',
    );
    expect(withAuthors.split('\r\n')[1]).toBe(
      'acme/app,7,Fine,ada,https://github.com/acme/app/pull/7,2026-11-16T09:00:00Z,2026-11-17T09:00:00Z,24,2,,-0.5,12',
    );
  });
});
