import { describe, expect, it } from 'vitest';
import { repositoriesTouched } from '#shared/dashboard/pages/team-page.ts';
import type { WeeklyMetricsView } from '#shared/views/weekly-metrics-view.ts';

const row = (id: number, repositoryIds?: number[]) =>
  ({ id, name: `team ${id}`, metrics: {}, ...(repositoryIds ? { repositoryIds } : {}) }) as never;
const view = (weeks: unknown[][]) =>
  ({
    installationId: 1,
    weeks: weeks.map((teams, index) => ({ week: `2026-W${40 + index}`, teams })),
  }) as unknown as WeeklyMetricsView;

describe("a team's repositories", () => {
  it('are those its shown weeks came from, once each, by name, among those the person sees', () => {
    const visible = [
      { id: 10, fullName: 'acme/web' },
      { id: 11, fullName: 'acme/api' },
      { id: 13, fullName: 'acme/docs' },
    ];
    const weeks = view([
      [row(2, [10, 11]), row(3, [13])],
      // A row stored before rows named their repositories names none.
      [row(2, [11, 12]), row(2)],
    ]);
    // 12 is the team's but not the person's to see; 13 is another team's.
    expect(repositoriesTouched(weeks, 2, visible)).toEqual([
      { id: 11, fullName: 'acme/api' },
      { id: 10, fullName: 'acme/web' },
    ]);
    expect(repositoriesTouched(weeks, 4, visible)).toEqual([]);
  });
});
