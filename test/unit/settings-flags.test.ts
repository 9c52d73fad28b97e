import { describe, expect, it } from 'vitest';
import { z } from 'zod/mini';
import { changedAgreements } from '#infra/ops/agreement-flags.ts';
import { nudgeChange } from '#infra/ops/nudge-flags.ts';
import { describeIssues } from '#shared/schema-issues.ts';

/** What `npm run settings` prints for a refused change: the error's message, or a schema's issues. */
function refusal(change: () => unknown): string {
  try {
    change();
  } catch (error) {
    return error instanceof z.core.$ZodError ? describeIssues(error).join('\n') : String(error);
  }
  return 'accepted';
}

describe('npm run settings: agreement and nudge flags', () => {
  it.each([
    [{ 'first-review-within-hours': 'soon' }, '--first-review-within-hours takes a whole number'],
    [{ 'first-review-within-hours': '0' }, 'first review within (hours) must be at least 1'],
    [{ 'max-changed-lines': '100001' }, 'PR size at most (changed lines) must be at most 100000'],
    [{ 'cycle-time-within-days': '366' }, 'cycle time under (days) must be at most 365'],
    [
      { 'no-merge-without-review': 'yes' },
      '--no-merge-without-review takes true or false, not yes',
    ],
  ])('refuses agreement flags %o by name', (flags, problem) => {
    expect(refusal(() => changedAgreements({ maxChangedLines: 200 }, flags))).toContain(problem);
  });

  it.each([
    [{ 'nudge-hour': '24' }, '--nudge-hour takes 0 to 23, not 24'],
    [{ 'idle-days': '0' }, '--idle-days takes 1 to 90, not 0'],
    [{ 'idle-days': '' }, '--idle-days takes 1 to 90, not ""'],
    [{ 'nudge-email': 'maybe' }, '--nudge-email takes true or false, not maybe'],
    [
      { 'slack-webhook-url': 'https://example.com/hook' },
      'a Slack incoming webhook URL starts https://hooks.slack.com/',
    ],
    [{ 'slack-webhook-url': 'hooks' }, '--slack-webhook-url: not a URL'],
  ])('refuses nudge flags %o by name', (flags, problem) => {
    expect(refusal(() => nudgeChange(flags, false))).toContain(problem);
  });

  it('takes good values', () => {
    expect(changedAgreements({}, { 'first-review-within-hours': '4' })).toEqual({
      firstReviewWithinHours: 4,
    });
    expect(nudgeChange({ 'nudge-hour': '9', 'idle-days': '2' }, false)).toEqual({
      hour: 9,
      idleDays: 2,
    });
  });
});
