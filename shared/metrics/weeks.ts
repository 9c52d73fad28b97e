/**
 * ISO 8601 weeks (Monday to Sunday, UTC), the unit of Flowmeter's rollups:
 * `2026-W47`. The year is the ISO week-numbering year, which differs from
 * the calendar year around New Year.
 */
export function isoWeek(when: string | Date): string {
  const date = new Date(when);
  const day = date.getUTCDay() || 7;
  // The Thursday of this week decides its year.
  const thursday = new Date(
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 4 - day),
  );
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((thursday.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** A week (or any span) as instants: from `start` up to, not including, `end`. */
export interface Window {
  start: Date;
  /** Exclusive. */
  end: Date;
}

/** True when `when` is set and falls in the window. */
export const within = (when: string | null | undefined, window: Window): when is string => {
  if (!when) return false;
  const at = Date.parse(when);
  return at >= window.start.getTime() && at < window.end.getTime();
};

/** The weeks whose metrics a pull request feeds: opened, merged or closed, reviewed. */
export function weeksTouched(
  pullRequests: readonly {
    createdAt: string;
    mergedAt: string | null;
    closedAt: string | null;
    reviews?: Record<string, { submittedAt: string | null }>;
  }[],
): string[] {
  const weeks = new Set<string>();
  for (const pr of pullRequests) {
    for (const when of [
      pr.createdAt,
      pr.mergedAt,
      pr.closedAt,
      ...Object.values(pr.reviews ?? {}).map((r) => r.submittedAt),
    ]) {
      if (when) weeks.add(isoWeek(when));
    }
  }
  return [...weeks].sort();
}

/** The ISO weeks (UTC) from one time to another, both included. */
export function weeksBetween(from: number, to: number): string[] {
  const weeks = new Set<string>();
  for (let at = from; at < to; at += 7 * 86_400_000) weeks.add(isoWeek(new Date(at)));
  weeks.add(isoWeek(new Date(to)));
  return [...weeks];
}
