import type { WaitingPullRequest, WaitingReason } from '../metrics/waiting-list.ts';
import { formatDuration } from './format.ts';

/** What the waiting list says of each reason and each item: the nudge and the dashboard say it alike. */
export const reasonHeadings: Record<WaitingReason, string> = {
  'awaiting-review': 'Waiting for a first review',
  'merged-unreviewed': 'Merged without review since the last nudge',
  idle: 'Open with no activity for days',
  oversized: 'Oversized, opened since the last nudge',
};

/** What the line says of an item's wait: how long, when, or how big. */
export function waitingDetail(item: WaitingPullRequest): string {
  switch (item.reason) {
    case 'awaiting-review':
      return `waiting ${formatDuration(item.waitedMs)}`;
    case 'idle':
      return `idle ${formatDuration(item.waitedMs)}`;
    case 'merged-unreviewed':
      return `merged ${item.since.slice(0, 10)}`;
    default:
      return `${item.changedLines ?? '?'} lines`;
  }
}
