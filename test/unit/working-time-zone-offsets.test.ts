import { describe, expect, it } from 'vitest';
import { ZoneOffsets } from '#shared/working-time/zone-offsets.ts';

const hour = 3_600_000;

/** A zone's offsets through 2026, as [the instant each starts, hours ahead of UTC]. */
function steps(timeZone: string): [string, number][] {
  const offsets = new ZoneOffsets(timeZone);
  const found: [string, number][] = [];
  for (let at = Date.UTC(2026, 0, 1); at < Date.UTC(2027, 0, 1); ) {
    const [from, offset, until] = offsets.stepAt(at);
    found.push([new Date(from).toISOString(), offset / hour]);
    at = until;
  }
  return found;
}

describe('a time zone’s offsets', () => {
  it('changes where the zone’s clocks change, to the second', () => {
    // Europe: the last Sundays of March and October at 01:00 UTC.
    expect(steps('Europe/Berlin')).toEqual([
      ['2026-01-01T00:00:00.000Z', 1],
      ['2026-03-29T01:00:00.000Z', 2],
      ['2026-10-25T01:00:00.000Z', 1],
    ]);
  });

  it('finds a half-hour change south of the equator and no change in UTC', () => {
    // Lord Howe Island: UTC+11 in its summer, +10:30 from 5 April 02:00 local, back on 4 October.
    expect(steps('Australia/Lord_Howe')).toEqual([
      ['2026-01-01T00:00:00.000Z', 11],
      ['2026-04-04T15:00:00.000Z', 10.5],
      ['2026-10-03T15:30:00.000Z', 11],
    ]);
    expect(steps('UTC')).toEqual([['2026-01-01T00:00:00.000Z', 0]]);
  });

  it('finds four changes in a year (Morocco stops summer time for Ramadan)', () => {
    expect(steps('Africa/Casablanca').map(([, offset]) => offset)).toEqual([1, 0, 1, 0]);
  });
});
