import type { Dataset, SimUser } from './dataset.ts';
import {
  type AppPermissions,
  api,
  mayRead,
  restOrganization,
  restUser,
  simpleInstallation,
} from './rest-objects.ts';
import { restPrivacy, restTeam } from './team-objects.ts';
import type { SimTeam, TeamPrivacy, TeamRole } from './teams.ts';
import type { Delivery, WebhookSender } from './webhooks.ts';

/**
 * An owner changing the organisation's teams and people: each change is made
 * to the dataset at the simulator's now (so the API and the membership
 * history answer with it) and delivered as GitHub delivers it — `membership`
 * added/removed, `team` created/edited/deleted, `organization`
 * member_added/member_removed — signed, to the App. GitHub delivers these
 * only to an App with the organisation permission "Members"
 * (https://docs.github.com/webhooks/webhook-events-and-payloads#membership),
 * so an installation without it gets none; `{ webhook: false }` makes the
 * change with no delivery, as when one is missed. Every method returns what
 * was delivered.
 *
 * What GitHub sends, and so what a receiver must infer:
 * - a parent change is `team` edited whose `changes` names nothing (its
 *   schema has no `parent`): only `team.parent` says what it is now;
 * - deleting a team deletes its child teams too, one `team` deleted each,
 *   children first, and no `membership` removed for their members;
 * - a person leaving the organisation leaves every team with only
 *   `organization` member_removed.
 */
export interface TeamChangeOptions {
  /** False: change the data, deliver nothing (a missed webhook). @default true */
  webhook?: boolean;
}

export interface NewTeam {
  name: string;
  description?: string | null;
  /** @default 'VISIBLE' */
  privacy?: TeamPrivacy;
  /** The parent team's slug. */
  parent?: string | null;
}

export interface TeamEdit {
  name?: string;
  description?: string | null;
  privacy?: TeamPrivacy;
  /** The new parent's slug; null makes it a root team. */
  parent?: string | null;
}

export class TeamActivity {
  private readonly dataset: Dataset;
  private readonly webhooks: WebhookSender;
  private readonly installationId: number;
  private readonly permissions: AppPermissions;
  private readonly now: () => number;

  constructor(
    dataset: Dataset,
    webhooks: WebhookSender,
    installationId: number,
    permissions: AppPermissions,
    now: () => number,
  ) {
    this.dataset = dataset;
    this.webhooks = webhooks;
    this.installationId = installationId;
    this.permissions = permissions;
    this.now = now;
  }

  async addMember(
    slug: string,
    login: string,
    options: TeamChangeOptions & { role?: TeamRole } = {},
  ): Promise<Delivery[]> {
    const team = this.team(slug);
    const user = this.person(login);
    this.dataset.teams.join(team, user, options.role ?? 'MEMBER', new Date(this.now()));
    return this.deliver('membership', this.membershipPayload('added', team, user), options);
  }

  async removeMember(slug: string, login: string, options: TeamChangeOptions = {}) {
    const team = this.team(slug);
    const user = this.person(login);
    this.dataset.teams.leave(team, user, new Date(this.now()));
    return this.deliver('membership', this.membershipPayload('removed', team, user), options);
  }

  /**
   * A person leaves one team for another at one instant (so the history has
   * no gap between them), delivered as an owner's two changes are: removed,
   * then added.
   */
  async move(login: string, from: string, to: string, options: TeamChangeOptions = {}) {
    const [left, joined] = [this.team(from), this.team(to)];
    const user = this.person(login);
    const at = new Date(this.now());
    this.dataset.teams.leave(left, user, at);
    this.dataset.teams.join(joined, user, 'MEMBER', at);
    return [
      ...(await this.deliver('membership', this.membershipPayload('removed', left, user), options)),
      ...(await this.deliver('membership', this.membershipPayload('added', joined, user), options)),
    ];
  }

  async createTeam(team: NewTeam, options: TeamChangeOptions = {}) {
    const made = this.dataset.teams.create(
      {
        name: team.name,
        description: team.description ?? null,
        privacy: team.privacy ?? 'VISIBLE',
        parent: team.parent ? this.team(team.parent) : null,
      },
      new Date(this.now()),
    );
    return this.deliver('team', this.teamPayload('created', made), options);
  }

  async editTeam(slug: string, edit: TeamEdit, options: TeamChangeOptions = {}) {
    const team = this.team(slug);
    const { parent, ...fields } = edit;
    const before = this.dataset.teams.edit(
      team,
      {
        ...fields,
        ...(parent !== undefined && { parent: parent === null ? null : this.team(parent) }),
      },
      new Date(this.now()),
    );
    // The changed fields' old values, as `changes` spells them; a parent has no entry.
    const changes = {
      ...(before.name !== undefined && { name: { from: before.name } }),
      ...(before.description !== undefined && { description: { from: before.description ?? '' } }),
      ...(before.privacy !== undefined && {
        privacy: { from: restPrivacy(before.privacy) },
      }),
    };
    return this.deliver('team', { ...this.teamPayload('edited', team), changes }, options);
  }

  async deleteTeam(slug: string, options: TeamChangeOptions = {}) {
    const deleted = this.dataset.teams.delete(this.team(slug), new Date(this.now()));
    const deliveries: Delivery[] = [];
    for (const team of deleted)
      deliveries.push(...(await this.deliver('team', this.teamPayload('deleted', team), options)));
    return deliveries;
  }

  /** A new person joins the organisation (as a member, in no team yet). */
  async joinOrganisation(login: string, options: TeamChangeOptions = {}) {
    const user = this.dataset.teams.welcome(login);
    return this.deliver('organization', this.organisationPayload('member_added', user), options);
  }

  /** A person leaves the organisation, and with it every team they were in. */
  async leaveOrganisation(login: string, options: TeamChangeOptions = {}) {
    const user = this.person(login);
    this.dataset.teams.farewell(user, new Date(this.now()));
    return this.deliver('organization', this.organisationPayload('member_removed', user), options);
  }

  private team(slug: string): SimTeam {
    const team = this.dataset.teams.bySlug(slug);
    if (!team) throw new Error(`[github-sim] no team ${slug}`);
    return team;
  }

  private person(login: string): SimUser {
    const user = this.dataset.teams.person(login);
    if (!user) throw new Error(`[github-sim] no person ${login}`);
    return user;
  }

  private common() {
    const organisation = this.dataset.organisation;
    return {
      organization: restOrganization(organisation),
      installation: simpleInstallation(this.installationId),
      // An owner makes these changes: the organisation's first member.
      sender: restUser(this.dataset.members[0] ?? organisation),
    };
  }

  private membershipPayload(action: 'added' | 'removed', team: SimTeam, user: SimUser) {
    return {
      action,
      scope: 'team',
      member: restUser(user),
      team: restTeam(this.dataset.organisation, team),
      ...this.common(),
    };
  }

  private teamPayload(action: 'created' | 'edited' | 'deleted', team: SimTeam) {
    return { action, team: restTeam(this.dataset.organisation, team), ...this.common() };
  }

  private organisationPayload(action: 'member_added' | 'member_removed', user: SimUser) {
    const org = this.dataset.organisation.login;
    return {
      action,
      membership: {
        url: `${api}/orgs/${org}/memberships/${user.login}`,
        state: 'active',
        role: 'member',
        organization_url: `${api}/orgs/${org}`,
        user: restUser(user),
      },
      ...this.common(),
    };
  }

  private async deliver(
    event: 'membership' | 'team' | 'organization',
    payload: Record<string, unknown>,
    options: TeamChangeOptions,
  ): Promise<Delivery[]> {
    if (options.webhook === false || !mayRead(this.permissions, 'members')) return [];
    return [await this.webhooks.send(event, payload)];
  }
}
