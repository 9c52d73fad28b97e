import { randomFor, shuffled } from './random.ts';
import type { SimUser } from './sim-user.ts';
import { layOutSizedTeams, type TeamSizes } from './sized-teams.ts';

/**
 * The organisation's GitHub Teams and who was in each, when: generated from
 * the seed on streams of their own (so members, repositories and pull
 * requests are exactly what they were before teams existed), then changed by
 * team activity (team-activity.ts). Nothing here reads a clock: every
 * question takes the instant it is asked about, and the API answers as of the
 * simulator's "now".
 *
 * The layout, sized by the organisation's people (bots are in no team):
 * - fewer than 3 people: no teams;
 * - 3 to 5: `platform` and `product` (visible) and `security` (secret);
 * - 6 or more: also `platform-infra`, a child team of `platform`.
 * Everyone is in one working team (platform, platform-infra or product, in
 * about equal thirds); about a quarter of them are in `security` too; one
 * person of `product` moves to `platform-infra` (to `platform` when there is
 * none) half way through the history. Each team's first member is its
 * maintainer, and so is the organisation's owner in any team they are in
 * (GitHub: "The role for organization owners is set to maintainer",
 * https://docs.github.com/rest/teams/members#get-team-membership-for-a-user).
 * GitHub nests no secret team ("For a parent or child team: closed",
 * https://docs.github.com/rest/teams/teams#create-a-team), so `security`
 * has neither parent nor children. `sizes` lays out teams of a given size
 * instead (sized-teams.ts).
 */
export type TeamPrivacy = 'VISIBLE' | 'SECRET';
export type TeamRole = 'MEMBER' | 'MAINTAINER';
/** GitHub's TeamMembershipType: a team's own members, its child teams', or both. */
export type TeamMembershipType = 'IMMEDIATE' | 'CHILD_TEAM' | 'ALL';

export interface SimTeam {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  privacy: TeamPrivacy;
  parent: SimTeam | null;
  createdAt: Date;
  updatedAt: Date;
  /** When it was deleted: a deleted team is listed nowhere, its history stays. */
  deletedAt: Date | null;
}

/** One person in one team from `joinedAt` until `leftAt` (null: still in it). */
export interface TeamMembershipInterval {
  team: SimTeam;
  user: SimUser;
  role: TeamRole;
  joinedAt: Date;
  leftAt: Date | null;
}

/** A member of a team at an instant, as both APIs list them. */
export interface TeamMember {
  user: SimUser;
  role: TeamRole;
  /** In the team only through a child team (REST's `inherited`). */
  inherited: boolean;
}

export interface TeamsOptions {
  seed: number;
  weeks: number;
  now: Date;
  /** The organisation's first member id: team ids are numbered from it, so no two organisations share one. */
  firstMemberId: number;
  /** Teams of this size instead of the demo's layout. */
  sizes?: TeamSizes;
}

const day = 86_400_000;
const week = 7 * day;

/** GitHub's slug: lower case, runs of anything but letters and digits made one `-`. */
export function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export class Teams {
  private readonly teams: SimTeam[] = [];
  private readonly intervals: TeamMembershipInterval[] = [];
  private readonly options: TeamsOptions;
  /** People who joined the organisation through activity; the generated ones are the dataset's. */
  private readonly newcomers: SimUser[] = [];
  private readonly people: readonly SimUser[];
  /** People who left the organisation, and so every team. */
  private readonly leavers = new Set<number>();

  constructor(options: TeamsOptions, people: readonly SimUser[]) {
    this.options = options;
    this.people = people;
    const start = options.now.getTime() - options.weeks * week;
    // Teams were there before the history starts, as the repositories were.
    const created = new Date(start - week);
    if (options.sizes) layOutSizedTeams(this, people, options.sizes, options.seed, created);
    else if (people.length >= 3) this.layOutDemo(people, start, created);
  }

  /** The demo's teams (above), sized by the organisation's people. */
  private layOutDemo(people: readonly SimUser[], start: number, created: Date): void {
    const options = this.options;
    const order = shuffled(people, randomFor(options.seed, 'teams', 'order'));
    const nested = people.length >= 6;
    const third = Math.floor(people.length / 3);
    const platformSize = nested ? third : Math.floor(people.length / 2);
    const infraSize = nested ? third : 0;
    const platform = this.create(
      { name: 'Platform', description: 'Shared services and tooling', privacy: 'VISIBLE' },
      created,
    );
    const infra = nested
      ? this.create(
          {
            name: 'Platform Infra',
            description: 'Clusters, networking and CI',
            privacy: 'VISIBLE',
            parent: platform,
          },
          created,
        )
      : undefined;
    const product = this.create(
      { name: 'Product', description: 'What customers see', privacy: 'VISIBLE' },
      created,
    );
    const security = this.create(
      { name: 'Security', description: 'Security champions', privacy: 'SECRET' },
      created,
    );
    const owner = people[0];
    const roleOf = (user: SimUser, first: boolean): TeamRole =>
      first || user === owner ? 'MAINTAINER' : 'MEMBER';
    const fill = (team: SimTeam, members: SimUser[]) => {
      for (const [index, user] of members.entries())
        this.join(team, user, roleOf(user, index === 0), created);
    };
    fill(platform, order.slice(0, platformSize));
    if (infra) fill(infra, order.slice(platformSize, platformSize + infraSize));
    const productMembers = order.slice(platformSize + infraSize);
    fill(product, productMembers);
    const champions = shuffled(people, randomFor(options.seed, 'teams', 'security')).slice(
      0,
      Math.max(1, Math.round(people.length / 4)),
    );
    fill(security, champions);
    // Someone of product, not its maintainer (nor the owner, when there is another), moves half
    // way through the history, in working hours.
    const others = productMembers.slice(1);
    const candidates = others.filter((user) => user !== owner);
    const movers = candidates.length > 0 ? candidates : others;
    const mover = randomFor(options.seed, 'teams', 'mover').pick(movers);
    const middle = start + Math.round(options.weeks / 2) * week;
    const movedAt = new Date(
      middle - (middle % day) + randomFor(options.seed, 'teams', 'moved').int(9, 17) * 3_600_000,
    );
    this.leave(product, mover, movedAt);
    this.join(infra ?? platform, mover, roleOf(mover, false), movedAt);
  }

  /** Teams that exist (not deleted), by name: the one order GitHub's TeamOrder offers. */
  list(): SimTeam[] {
    return this.teams
      .filter((team) => !team.deletedAt)
      .sort((a, b) => a.name.localeCompare(b.name, 'en'));
  }

  bySlug(slug: string): SimTeam | undefined {
    return this.list().find((team) => team.slug === slug.toLowerCase());
  }

  /** Every membership there ever was, in the order it began: the history a second path recomputes from. */
  history(): readonly TeamMembershipInterval[] {
    return this.intervals;
  }

  /** The team's direct children that exist. */
  children(team: SimTeam): SimTeam[] {
    return this.list().filter((child) => child.parent === team);
  }

  /** The team's members at `at`, by login; each person once, direct membership first. */
  members(team: SimTeam, at: number, membership: TeamMembershipType = 'ALL'): TeamMember[] {
    const direct = membership === 'CHILD_TEAM' ? [] : this.directMembers(team, at);
    const found = new Map<number, TeamMember>(
      direct.map(({ user, role }) => [user.id, { user, role, inherited: false }]),
    );
    if (membership !== 'IMMEDIATE') {
      for (const child of this.descendants(team)) {
        for (const { user } of this.directMembers(child, at)) {
          // A child team's maintainer is no maintainer of its parent.
          if (!found.has(user.id)) found.set(user.id, { user, role: 'MEMBER', inherited: true });
        }
      }
    }
    return [...found.values()].sort((a, b) => a.user.login.localeCompare(b.user.login, 'en'));
  }

  /** A person of the organisation (or one who was), by login. */
  person(login: string): SimUser | undefined {
    return [...this.people, ...this.newcomers].find(
      (user) => user.login.toLowerCase() === login.toLowerCase(),
    );
  }

  /** Whether a person is in the organisation: one of its people or newcomers, and not gone. */
  isInOrganisation(user: SimUser): boolean {
    return (
      !this.leavers.has(user.id) &&
      [...this.people, ...this.newcomers].some((person) => person.id === user.id)
    );
  }

  create(
    team: Pick<SimTeam, 'name' | 'description' | 'privacy'> & { parent?: SimTeam | null },
    at: Date,
  ): SimTeam {
    const parent = team.parent ?? null;
    if (this.bySlug(slugOf(team.name)))
      throw new Error(`[github-sim] a team ${slugOf(team.name)} exists`);
    assertNestable(team.privacy, parent);
    const made: SimTeam = {
      id: 5_000_000 + this.options.firstMemberId + this.teams.length,
      slug: slugOf(team.name),
      name: team.name,
      description: team.description,
      privacy: team.privacy,
      parent,
      createdAt: at,
      updatedAt: at,
      deletedAt: null,
    };
    this.teams.push(made);
    return made;
  }

  /**
   * Changes a team's name (and so its slug, as GitHub regenerates it),
   * description, privacy or parent; returns what each changed field was.
   */
  edit(
    team: SimTeam,
    changes: Partial<Pick<SimTeam, 'name' | 'description' | 'privacy' | 'parent'>>,
    at: Date,
  ): Partial<Pick<SimTeam, 'name' | 'description' | 'privacy' | 'parent'>> {
    const privacy = changes.privacy ?? team.privacy;
    const parent = changes.parent === undefined ? team.parent : changes.parent;
    assertNestable(privacy, parent);
    const slug = slugOf(changes.name ?? team.name);
    if (slug !== team.slug && this.bySlug(slug))
      throw new Error(`[github-sim] a team ${slug} exists`);
    if (privacy === 'SECRET' && this.children(team).length > 0)
      throw new Error(`[github-sim] GitHub nests no secret team, and ${team.slug} has children`);
    if (parent && (parent === team || this.descendants(team).includes(parent)))
      throw new Error(`[github-sim] ${parent.slug} cannot be the parent of ${team.slug}`);
    const before = Object.fromEntries(
      Object.keys(changes).map((key) => [key, team[key as keyof typeof changes]]),
    );
    Object.assign(team, changes, { slug, updatedAt: at });
    return before;
  }

  /** Deletes a team and, as GitHub does, its child teams; returns them, children first. */
  delete(team: SimTeam, at: Date): SimTeam[] {
    const deleted = [...this.descendants(team).reverse(), team];
    for (const gone of deleted) {
      for (const { user } of this.directMembers(gone, at.getTime())) this.leave(gone, user, at);
      gone.deletedAt = at;
    }
    return deleted;
  }

  join(team: SimTeam, user: SimUser, role: TeamRole, at: Date): void {
    if (team.deletedAt) throw new Error(`[github-sim] team ${team.slug} was deleted`);
    if (!this.isInOrganisation(user))
      throw new Error(`[github-sim] ${user.login} is not in the organisation`);
    if (user.type !== 'User') throw new Error(`[github-sim] ${user.login} is no person`);
    if (this.openInterval(team, user))
      throw new Error(`[github-sim] ${user.login} is in ${team.slug}`);
    this.intervals.push({ team, user, role, joinedAt: at, leftAt: null });
  }

  leave(team: SimTeam, user: SimUser, at: Date): void {
    const open = this.openInterval(team, user);
    if (!open) throw new Error(`[github-sim] ${user.login} is not in ${team.slug}`);
    open.leftAt = at;
  }

  /** A new person in the organisation, numbered after everyone else. */
  welcome(login: string): SimUser {
    if (this.person(login)) throw new Error(`[github-sim] ${login} exists`);
    const user: SimUser = {
      id: this.options.firstMemberId + this.people.length + this.newcomers.length,
      login,
      type: 'User',
    };
    this.newcomers.push(user);
    return user;
  }

  /** A person leaves the organisation: GitHub takes them out of every team. */
  farewell(user: SimUser, at: Date): void {
    for (const interval of this.intervals) {
      if (interval.user === user && !interval.leftAt) interval.leftAt = at;
    }
    this.leavers.add(user.id);
  }

  /** The teams below a team, nearest first. */
  private descendants(team: SimTeam): SimTeam[] {
    const below: SimTeam[] = [];
    for (
      let level = this.children(team);
      level.length > 0;
      level = level.flatMap((t) => this.children(t))
    )
      below.push(...level);
    return below;
  }

  private directMembers(team: SimTeam, at: number) {
    return this.intervals.filter(
      (interval) =>
        interval.team === team &&
        interval.joinedAt.getTime() <= at &&
        (interval.leftAt === null || interval.leftAt.getTime() > at),
    );
  }

  private openInterval(team: SimTeam, user: SimUser) {
    return this.intervals.find(
      (interval) => interval.team === team && interval.user === user && interval.leftAt === null,
    );
  }
}

function assertNestable(privacy: TeamPrivacy, parent: SimTeam | null): void {
  if (parent && (privacy === 'SECRET' || parent.privacy === 'SECRET'))
    throw new Error('[github-sim] GitHub nests no secret team');
}
