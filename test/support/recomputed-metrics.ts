import type { exportDataset } from '#infra/local/github-sim/dataset.ts';
import aiAssistants from '#shared/metrics/ai-assistants.json' with { type: 'json' };

/**
 * The weekly metrics recomputed from the simulator's JSON export, straight
 * from docs/metrics.md's definitions — a second path written apart from
 * `shared/metrics/`, which it never calls, so a test can hold the stored
 * rows to what the definitions say. (The AI names are data both read.)
 */
type Export = ReturnType<typeof exportDataset>;
type ExportedPullRequest = Export['repositories'][number]['pullRequests'][number];

const hour = 3_600_000;
const time = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);
const hundredths = (value: number) => Math.round(value * 100) / 100;

/** Linear interpolation between closest ranks, as docs/metrics.md says. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (sorted.length - 1) * p;
  const low = sorted[Math.floor(rank)] as number;
  const high = sorted[Math.ceil(rank)] as number;
  return low + (rank - Math.floor(rank)) * (high - low);
}

function hours(durations: number[]) {
  if (durations.length === 0) return null;
  const inHours = durations.map((ms) => ms / hour);
  return {
    count: durations.length,
    median: hundredths(percentile(inHours, 0.5)),
    p75: hundredths(percentile(inHours, 0.75)),
    p90: hundredths(percentile(inHours, 0.9)),
  };
}

const aiBots = aiAssistants.botLogins.map((login) => login.toLowerCase());

/** A trailer (of the listed keys) names an assistant, or the PR carries one of the AI labels. */
function aiCoAuthored(pr: ExportedPullRequest): boolean {
  const keys = new RegExp(`^(?:${aiAssistants.trailers.join('|')}):(.*)$`, 'gim');
  const named = pr.commits.some((commit) =>
    [...commit.message.matchAll(keys)].some(([, value]) =>
      aiAssistants.names.some((name) =>
        new RegExp(`(^|[^a-z0-9_])${name}($|[^a-z0-9_])`, 'i').test(value ?? ''),
      ),
    ),
  );
  return named || pr.labels.some((label) => aiAssistants.labels.includes(label.toLowerCase()));
}

/** AI-assisted: an AI agent bot opened it, a trailer names an assistant, or an AI label is on it. */
const aiAssisted = (pr: ExportedPullRequest) =>
  aiBots.includes(pr.author.login.toLowerCase()) || aiCoAuthored(pr);

/** The numbers of the PRs merged in the window that the AI figures count as AI-assisted. */
export function recomputedAiAssisted(
  pullRequests: ExportedPullRequest[],
  start: Date,
  end: Date,
): number[] {
  return pullRequests
    .filter((pr) => {
      const merged = time(pr.mergedAt);
      return (
        counts(pr) &&
        aiAssisted(pr) &&
        merged !== null &&
        merged >= start.getTime() &&
        merged < end.getTime()
      );
    })
    .map((pr) => pr.number);
}

/**
 * Whose work a PR is, for the team figures: its author's; an AI agent bot's, the people assigned
 * to it (the agent assigns itself too, and is no person); another bot's, no one's.
 */
export function peopleBehind(pr: ExportedPullRequest): number[] {
  if (pr.author.type !== 'Bot') return [pr.author.id];
  if (!aiBots.includes(pr.author.login.toLowerCase())) return [];
  return pr.assignees.filter((user) => user.type === 'User').map((user) => user.id);
}

/** Bots' PRs are left out, but for those an AI agent bot opened. */
const counts = (pr: ExportedPullRequest) =>
  pr.author.type !== 'Bot' || aiBots.includes(pr.author.login.toLowerCase());

/** Submitted reviews by a person other than the author, oldest first. */
const peerReviews = (pr: ExportedPullRequest) =>
  pr.reviews
    .filter(
      (r) =>
        r.submittedAt &&
        String(r.state) !== 'PENDING' &&
        r.author.id !== pr.author.id &&
        r.author.type !== 'Bot',
    )
    .sort((a, b) => (time(a.submittedAt) as number) - (time(b.submittedAt) as number));

/** Entered review: ready for review if it was a draft, created otherwise; never while a draft. */
const enteredReview = (pr: ExportedPullRequest) =>
  pr.isDraft ? null : time(pr.readyAt ?? pr.createdAt);

/**
 * Whose reviews the review-load figures (reviews given, reviewers, turnaround, the reviewers
 * among the active contributors) count: by default every review of `pullRequests`; a team's,
 * those its people gave on any of `of`.
 */
export interface ReviewsCounted {
  of: ExportedPullRequest[];
  by: (reviewerId: number, submittedAt: string) => boolean;
}

/**
 * `duration` measures each phase: calendar time unless given another (a
 * working-time recomputation, for the figures in working hours).
 */
export function recomputedMetrics(
  pullRequests: ExportedPullRequest[],
  start: Date,
  end: Date,
  reviewsCounted?: ReviewsCounted,
  duration: (from: number, to: number) => number = (from, to) => to - from,
) {
  const inWeek = (at: number | null) => at !== null && at >= start.getTime() && at < end.getTime();
  const scope = pullRequests.filter(counts);
  const opened = scope.filter((pr) => inWeek(enteredReview(pr)));
  const merged = scope.filter((pr) => inWeek(time(pr.mergedAt)));
  const closed = scope.filter((pr) => !pr.mergedAt && inWeek(time(pr.closedAt)));

  const phases = merged.map((pr) => {
    const created = time(pr.createdAt) as number;
    const firstCommit = time(pr.commits[0]?.authoredDate);
    const begin = firstCommit === null ? created : Math.min(firstCommit, created);
    const mergedAt = time(pr.mergedAt) as number;
    const ready = Math.max(begin, Math.min(mergedAt, enteredReview(pr) ?? mergedAt));
    const first = time(peerReviews(pr)[0]?.submittedAt);
    const picked = first === null ? null : Math.min(mergedAt, Math.max(ready, first));
    return { begin, mergedAt, ready, picked };
  });
  const reviewed = phases.filter((p) => p.picked !== null) as {
    picked: number;
    ready: number;
    mergedAt: number;
  }[];
  const reviewedPrs = reviewsCounted?.of.filter(counts) ?? scope;
  const countedBy = reviewsCounted?.by ?? (() => true);
  const turnaround = reviewedPrs
    .filter((pr) => inWeek(time(pr.mergedAt)))
    .flatMap((pr) => {
      const ready = enteredReview(pr) ?? (time(pr.createdAt) as number);
      const firstOf = new Map<number, string>();
      for (const r of peerReviews(pr))
        if (!firstOf.has(r.author.id)) firstOf.set(r.author.id, r.submittedAt as string);
      return [...firstOf.entries()]
        .filter(([reviewer, at]) => countedBy(reviewer, at))
        .map(([, at]) => Math.max(0, duration(ready, time(at) as number)));
    });
  const sizes = merged.map((pr) => pr.additions + pr.deletions);
  const rework = merged.reduce((sum, pr) => {
    const first = time(peerReviews(pr)[0]?.submittedAt);
    if (first === null) return sum;
    return sum + pr.commits.filter((c) => (time(c.committedDate) as number) > first).length;
  }, 0);
  // Reviews given in the week, on the week's PRs (opened, merged or closed in it: the rollup's read).
  const given = reviewedPrs
    .filter(
      (pr) => inWeek(enteredReview(pr)) || inWeek(time(pr.mergedAt)) || inWeek(time(pr.closedAt)),
    )
    .flatMap((pr) => peerReviews(pr))
    .filter((r) => inWeek(time(r.submittedAt)) && countedBy(r.author.id, r.submittedAt as string));
  const reviewers = new Set(given.map((r) => r.author.id));
  const people = new Set<number>(reviewers);
  for (const pr of [...opened, ...merged]) if (pr.author.type !== 'Bot') people.add(pr.author.id);
  const share = (part: number, whole: number) => (whole === 0 ? null : hundredths(part / whole));
  const perMerged = (total: number) =>
    merged.length === 0 ? null : hundredths(total / merged.length);

  return {
    opened: opened.length,
    merged: merged.length,
    closedWithoutMerge: closed.length,
    activeContributors: people.size,
    cycleTime: hours(phases.map((p) => duration(p.begin, p.mergedAt))),
    codingTime: hours(phases.map((p) => duration(p.begin, p.ready))),
    pickupTime: hours(reviewed.map((p) => duration(p.ready, p.picked))),
    reviewTime: hours(reviewed.map((p) => duration(p.picked, p.mergedAt))),
    reviewTurnaround: hours(turnaround),
    reviewsGiven: given.length,
    reviewers: reviewers.size,
    reviewsPerMergedPr: perMerged(merged.reduce((sum, pr) => sum + peerReviews(pr).length, 0)),
    mergedWithoutReviewShare: share(merged.length - reviewed.length, merged.length),
    medianLinesChanged: sizes.length === 0 ? null : percentile(sizes, 0.5),
    over400LinesShare: share(sizes.filter((lines) => lines > 400).length, sizes.length),
    reworkCommits: rework,
    reworkCommitsPerMergedPr: perMerged(rework),
    aiAssistedShare: share(merged.filter(aiAssisted).length, merged.length),
  };
}

/**
 * The share of a week's merged PRs (those the flow figures count) that met
 * the size and review agreements, recomputed from the export as
 * docs/metrics.md ("Working agreements") defines them: `met` of `of`.
 */
export function recomputedAgreementShares(
  pullRequests: ExportedPullRequest[],
  start: Date,
  end: Date,
  agreements: { maxChangedLines: number },
) {
  const merged = pullRequests.filter((pr) => {
    const at = time(pr.mergedAt);
    return counts(pr) && at !== null && at >= start.getTime() && at < end.getTime();
  });
  const reviewedBeforeMerge = (pr: ExportedPullRequest) =>
    peerReviews(pr).some(
      (review) => (time(review.submittedAt) as number) <= (time(pr.mergedAt) as number),
    );
  return {
    maxChangedLines: {
      met: merged.filter((pr) => pr.additions + pr.deletions <= agreements.maxChangedLines).length,
      of: merged.length,
    },
    noMergeWithoutReview: { met: merged.filter(reviewedBeforeMerge).length, of: merged.length },
  };
}
