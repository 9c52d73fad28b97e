import type { MergedChange } from '#shared/metrics/production-history.ts';

/** The default branch's nth commit: distinct in its first seven characters, as an incident quoting a short SHA needs. */
export const sha = (n: number) => `${n.toString(16).padStart(4, '0')}${'c'.repeat(36)}`;

/** A merged pull request whose merge put commit `commit` on the default branch. */
export function change(
  number: number,
  commit: number,
  mergedAt: string,
  firstCommitAt: string,
  more: Partial<MergedChange> = {},
): MergedChange {
  return {
    number,
    authorId: 1000 + number,
    authorLogin: `author-${number}`,
    authorType: 'User',
    mergeCommitSha: sha(commit),
    mergedAt,
    firstCommitAt,
    title: `Change ${number}`,
    headRef: `feature-${number}`,
    ...more,
  };
}
