import { describe, expect, it } from 'vitest';
import { followUpMark, parseFollowUpMark } from '#shared/sync/checkpoint.ts';
import { nextFollowUp } from '#shared/sync/pull-request-mapping.ts';

const more = (endCursor: string) => ({ pageInfo: { hasNextPage: true, endCursor } });
const done = { pageInfo: { hasNextPage: false, endCursor: null } };

describe("a pull request's follow-up mark", () => {
  it("asks for an AI agent's assignees even when its reviews and commits are all read", () => {
    const followUp = nextFollowUp(7, done, done, true);
    expect(followUp).toEqual({
      number: 7,
      reviewsAfter: undefined,
      commitsAfter: undefined,
      assignees: true,
    });
    expect(parseFollowUpMark(7, followUpMark(followUp) as string)).toEqual(followUp);
    // Once read, nothing is left: no mark.
    expect(followUpMark(nextFollowUp(7, done, done))).toBeUndefined();
  });

  it('keeps the form of marks stored before assignees were read, so their merges still match', () => {
    const followUp = nextFollowUp(8, more('r1'), done);
    expect(followUpMark(followUp)).toBe('["r1",null]');
    expect(parseFollowUpMark(8, '["r1",null]')).toEqual({
      number: 8,
      reviewsAfter: 'r1',
      commitsAfter: undefined,
    });
    expect(followUpMark(nextFollowUp(8, more('r1'), more('c1'), true))).toBe('["r1","c1",true]');
  });
});
