import type { Window } from '../metrics/flow-metrics.ts';
import type { StoredPullRequest } from '../metrics/pull-request.ts';
import { mergedWithin } from '../store/pull-requests.ts';
import { inTimeRange, type TimeRange } from '../store/time-range.ts';
import type { DeliverySource } from './delivery-histories.ts';

/** A delivery source that has read its facts once, and the one read of merged PRs still to make. */
export interface ReadOnce extends DeliverySource {
  /** Reads the PRs merged within the window, once: every later `merged` must ask within it. */
  readMerged(window: Window): void;
}

/**
 * A delivery source that reads each repository's facts of a kind once, over
 * `span`, when first asked, and answers every range within it from memory,
 * keeping what a read of that range would (`inTimeRange`, `mergedWithin`):
 * several weeks' histories under several rule sets ask many rollups'
 * questions, and pay for one read. A question outside what was read is a
 * defect, not a smaller answer.
 */
export function readOnce(source: DeliverySource, span: TimeRange): ReadOnce {
  const read = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, first: () => Promise<T>): Promise<T> => {
    const known = read.get(key) as Promise<T> | undefined;
    if (known) return known;
    const answer = first();
    read.set(key, answer);
    return answer;
  };
  // A range's facts: those of the span read, kept as a read of the range would keep them.
  const ranged = async <T>(
    key: string,
    range: TimeRange,
    first: () => Promise<T[]>,
    madeAt: (item: T) => string,
  ): Promise<T[]> => {
    if (range.from < span.from || range.to > span.to)
      throw new Error(
        `${key} asked for ${range.from.toISOString()} to ${range.to.toISOString()}, outside the facts read`,
      );
    return (await once(key, first)).filter((item) => inTimeRange(madeAt(item), range));
  };
  let merged: { window: Window; pullRequests: Promise<StoredPullRequest[]> } | undefined;
  return {
    repositories: () => once('repositories', () => source.repositories()),
    deployments: (repositoryId, range) =>
      ranged(
        `deployments#${repositoryId}`,
        range,
        () => source.deployments(repositoryId, span),
        (deployment) => deployment.createdAt,
      ),
    releases: (repositoryId, range) =>
      ranged(
        `releases#${repositoryId}`,
        range,
        () => source.releases(repositoryId, span),
        (release) => release.publishedAt,
      ),
    branch: (repositoryId, range) =>
      ranged(
        `branch#${repositoryId}`,
        range,
        () => source.branch(repositoryId, span),
        (commit) => commit.committedAt,
      ),
    incidents: (repositoryId) =>
      once(`incidents#${repositoryId}`, () => source.incidents(repositoryId)),
    merged: async (window) => {
      if (!merged || window.start < merged.window.start || window.end > merged.window.end)
        throw new Error('merged pull requests asked for outside the window read');
      return (await merged.pullRequests).filter((pr) => mergedWithin(pr, window));
    },
    readMerged: (window) => {
      merged = { window, pullRequests: source.merged(window) };
    },
  };
}
