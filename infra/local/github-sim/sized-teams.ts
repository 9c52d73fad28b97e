import { randomFor, shuffled } from './random.ts';
import type { SimUser } from './sim-user.ts';

/**
 * Teams of a given size instead of the demo's layout, for the benchmarks
 * (`DatasetOptions.teams`): `count` visible teams, `Team 001` on, every
 * tenth a child of the one before it. People are dealt to them in a seeded
 * order, `size` to a team, round again when there are more places than
 * people: with count × size places for P people, the first count × size − P
 * of that order are in two teams (more, past twice P). Each team's first
 * member is its maintainer, and so is the organisation's owner; nobody moves.
 */
export interface TeamSizes {
  count: number;
  /** People directly in each team: at most the organisation's people. */
  size: number;
}

/** What the layout asks of the organisation's teams (teams.ts, which calls it: named here, not imported). */
interface TeamsToLayOut<Team> {
  create(
    team: { name: string; description: null; privacy: 'VISIBLE'; parent: Team | null },
    at: Date,
  ): Team;
  join(team: Team, user: SimUser, role: 'MAINTAINER' | 'MEMBER', at: Date): void;
}

export function layOutSizedTeams<Team>(
  teams: TeamsToLayOut<Team>,
  people: readonly SimUser[],
  { count, size }: TeamSizes,
  seed: number,
  at: Date,
): void {
  if (count > 0 && size > people.length)
    throw new Error(`[github-sim] teams of ${size} need as many people, not ${people.length}`);
  const order = shuffled(people, randomFor(seed, 'teams', 'sized'));
  const digits = String(count).length;
  let previous: Team | null = null;
  for (let index = 0; index < count; index++) {
    const team = teams.create(
      {
        name: `Team ${String(index + 1).padStart(digits, '0')}`,
        description: null,
        privacy: 'VISIBLE',
        parent: index % 10 === 9 ? previous : null,
      },
      at,
    );
    for (let place = 0; place < size; place++) {
      const user = order[(index * size + place) % order.length] as SimUser;
      teams.join(team, user, place === 0 || user === people[0] ? 'MAINTAINER' : 'MEMBER', at);
    }
    previous = team;
  }
}
