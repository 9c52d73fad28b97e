import { openedByAiBot } from './ai-assisted.ts';
import type { PullRequestFacts } from './pull-request.ts';

/**
 * Which GitHub teams a piece of work counts for. The rule (docs/metrics.md,
 * "Teams"): work belongs to the teams its person was a member of when it
 * happened — a pull request when it merged (opened, while not merged), a
 * review when it was submitted, a Copilot day on its day — and a child
 * team's work counts for its parents too. So a person who moves from team A
 * to team B takes their future work with them and leaves their past with A:
 * last quarter's figures do not change when someone changes teams. A person
 * in two teams counts in both, so team figures overlap and do not add up to
 * the organisation's. Bots belong to no team — but an AI agent's pull
 * request is the work of the people it was opened for (GitHub assigns it to
 * them), and counts for their teams.
 */
export interface TeamRecord {
  teamId: number;
  slug: string;
  name: string;
  privacy: 'visible' | 'secret';
  parentTeamId: number | null;
}

/** One stretch of a person's membership of one team: from `joinedAt` until `leftAt` (null: still a member). */
export interface MembershipSpell {
  teamId: number;
  userId: number;
  login: string;
  joinedAt: string;
  leftAt: string | null;
}

/** The teams of an organisation and who was in each when, read once and asked in memory. */
export class TeamDirectory {
  readonly teams: ReadonlyMap<number, TeamRecord>;
  private readonly spellsOf = new Map<number, MembershipSpell[]>();

  constructor(teams: readonly TeamRecord[], spells: readonly MembershipSpell[]) {
    this.teams = new Map(teams.map((team) => [team.teamId, team]));
    for (const spell of spells) {
      const known = this.spellsOf.get(spell.userId);
      if (known) known.push(spell);
      else this.spellsOf.set(spell.userId, [spell]);
    }
  }

  /** The teams `userId` counted for at `at`: those they were in, and every parent of those; ids ascending. */
  teamsOf(userId: number, at: string): number[] {
    const instant = Date.parse(at);
    const found = new Set<number>();
    for (const spell of this.spellsOf.get(userId) ?? []) {
      const member =
        Date.parse(spell.joinedAt) <= instant &&
        (spell.leftAt === null || instant < Date.parse(spell.leftAt));
      if (member) for (const id of this.withParents(spell.teamId)) found.add(id);
    }
    return [...found].sort((a, b) => a - b);
  }

  /** A team and its parents, nearest first; a parent that loops back (GitHub forbids it) stops the walk. */
  private withParents(teamId: number): number[] {
    const chain: number[] = [];
    for (let id: number | null = teamId; id !== null && !chain.includes(id); ) {
      chain.push(id);
      id = this.teams.get(id)?.parentTeamId ?? null;
    }
    return chain.filter((id) => this.teams.has(id));
  }
}

/** When a pull request's work is placed: its merge, or its opening while it is not merged. */
export function attributedAt(pr: { mergedAt: string | null; createdAt: string }): string {
  return pr.mergedAt ?? pr.createdAt;
}

/**
 * The teams a pull request counts for, at `attributedAt`: its author's; an AI
 * agent's, those of the people assigned to it (each team once); another
 * bot's, none.
 */
export function pullRequestTeams(
  directory: TeamDirectory,
  pr: Pick<
    PullRequestFacts,
    'authorId' | 'authorLogin' | 'authorType' | 'assignees' | 'mergedAt' | 'createdAt'
  >,
): number[] {
  const at = attributedAt(pr);
  if (pr.authorType !== 'Bot') return directory.teamsOf(pr.authorId, at);
  if (!openedByAiBot(pr)) return [];
  const teams = new Set((pr.assignees ?? []).flatMap((person) => directory.teamsOf(person.id, at)));
  return [...teams].sort((a, b) => a - b);
}
