import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Octokit } from '@octokit/rest';
import { createNodeMiddleware, Webhooks } from '@octokit/webhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Dataset } from '#infra/local/github-sim/dataset.ts';
import { type GitHubSimulator, startGitHubSimulator } from '#infra/local/github-sim/server.ts';
import type { SimTeam } from '#infra/local/github-sim/teams.ts';
import type { Delivery } from '#infra/local/github-sim/webhooks.ts';
import { webhookValidator } from '../support/github-openapi.ts';
import { simOctokit } from '../support/sim-octokit.ts';
import { personOctokit } from '../support/sim-sign-in.ts';
import { withoutMembers } from '../support/without-members.ts';

/**
 * The simulator's GitHub Teams through Octokit, as Flowmeter will read them:
 * GraphQL `organization.teams` and the REST team endpoints, for an
 * installation with the "Members" permission and one without, and the
 * signed `membership`, `team` and `organization` webhooks team activity
 * sends, each checked against GitHub's published payload schema and example.
 */
const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as {
  name: string;
  examples: Record<string, unknown>[];
}[];

const org = 'teams-org';
const bare = 'bare-org';
let sim: GitHubSimulator;
let octokit: Octokit;
/** The installation on `bare-org`, which did not grant "Members". */
let refused: Octokit;
let receiver: Server;
const received: { event: string; payload: Record<string, unknown> }[] = [];

beforeAll(async () => {
  const webhooks = new Webhooks({ secret: 'team-secret' });
  webhooks.onAny(({ name, payload }) => {
    received.push({ event: name, payload: payload as Record<string, unknown> });
  });
  receiver = createServer(createNodeMiddleware(webhooks, { path: '/hook' }));
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  sim = await startGitHubSimulator({
    dataset: {
      seed: 5,
      installationId: 61,
      organisation: org,
      // A public one, so that octo-collaborator reaches the installation.
      repositories: [
        { name: 'app', pullRequests: 2 },
        { name: 'site', pullRequests: 2 },
      ],
    },
    organisations: [
      {
        seed: 6,
        installationId: 62,
        organisation: bare,
        repositories: [],
        appPermissions: withoutMembers,
      },
    ],
    webhook: {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
      secret: 'team-secret',
    },
  });
  octokit = simOctokit(sim);
  refused = simOctokit(sim, { installationId: 62 });
});
afterAll(async () => {
  await sim.stop();
  receiver.close();
});
beforeEach(() => {
  received.length = 0;
});

function team(dataset: Dataset, slug: string): SimTeam {
  const found = dataset.teams.bySlug(slug);
  if (!found) throw new Error(`no team ${slug}`);
  return found;
}

/** Logins of a team's members now, as the dataset holds them. */
const membersNow = (slug: string, membership: 'IMMEDIATE' | 'ALL' = 'ALL') =>
  sim.dataset.teams
    .members(team(sim.dataset, slug), Date.now(), membership)
    .map((member) => member.user.login);

const teamsQuery = /* GraphQL */ `
  query Teams($org: String!, $after: String, $first: Int!, $membership: TeamMembershipType) {
    organization(login: $org) {
      teams(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes {
          databaseId id slug name privacy description
          parentTeam { slug databaseId }
          members(first: 100, membership: $membership) {
            totalCount
            pageInfo { hasNextPage endCursor }
            edges { role node { databaseId login } }
          }
        }
      }
    }
    rateLimit { cost }
  }
`;

interface TeamsAnswer {
  organization: {
    teams: {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      nodes: {
        databaseId: number;
        slug: string;
        privacy: string;
        parentTeam: { slug: string; databaseId: number } | null;
        members: {
          totalCount: number;
          edges: { role: string; node: { databaseId: number; login: string } }[];
        };
      }[];
    };
  } | null;
  rateLimit: { cost: number };
}

describe('GitHub simulator teams over GraphQL', () => {
  it("answers organization.teams in GitHub's schema: privacy, parent team, immediate members with their roles, as of now", async () => {
    const answer = await octokit.graphql<TeamsAnswer>(teamsQuery, {
      org,
      first: 100,
      membership: 'IMMEDIATE',
    });

    const teams = sim.dataset.teams.list();
    expect(answer.organization?.teams.totalCount).toBe(teams.length);
    expect(
      answer.organization?.teams.nodes.map((node) => ({
        slug: node.slug,
        databaseId: node.databaseId,
        privacy: node.privacy,
        parent: node.parentTeam?.slug ?? null,
        members: node.members.edges.map((edge) => [edge.node.login, edge.role]),
      })),
    ).toEqual(
      teams.map((t) => ({
        slug: t.slug,
        databaseId: t.id,
        privacy: t.privacy,
        parent: t.parent?.slug ?? null,
        members: sim.dataset.teams
          .members(t, Date.now(), 'IMMEDIATE')
          .map((member) => [member.user.login, member.role]),
      })),
    );
    expect(answer.organization?.teams.nodes.map((node) => node.privacy)).toContain('SECRET');
    expect(answer.organization?.teams.nodes.some((node) => node.parentTeam)).toBe(true);
    // GitHub's cost: one request for the teams, one per team for its members; 101 / 100 → 1.
    expect(answer.rateLimit.cost).toBe(1);
    expect(sim.requestLog.at(-1)).toMatchObject({ route: 'POST /graphql', graphqlCost: 1 });
  });

  it("counts a child team's members in its parent's by default (ALL), as GitHub does", async () => {
    const answer = await octokit.graphql<TeamsAnswer>(teamsQuery, { org, first: 100 });

    const platform = answer.organization?.teams.nodes.find((node) => node.slug === 'platform');
    expect(platform?.members.edges.map((edge) => edge.node.login)).toEqual(membersNow('platform'));
    expect(platform?.members.totalCount).toBe(
      membersNow('platform', 'IMMEDIATE').length + membersNow('platform-infra').length,
    );
  });

  it('pages teams with cursors', async () => {
    const slugs: string[] = [];
    let after: string | null = null;
    do {
      const page: TeamsAnswer = await octokit.graphql<TeamsAnswer>(teamsQuery, {
        org,
        first: 1,
        after,
      });
      const teams = page.organization?.teams;
      slugs.push(...(teams?.nodes.map((node) => node.slug) ?? []));
      after = teams?.pageInfo.hasNextPage ? teams.pageInfo.endCursor : null;
    } while (after);

    expect(slugs).toEqual(sim.dataset.teams.list().map((t) => t.slug));
  });

  it('finds one team by slug, null for none, and refuses it too without Members', async () => {
    const query = /* GraphQL */ `
      query One($org: String!) {
        organization(login: $org) {
          security: team(slug: "security") { privacy parentTeam { slug } members(first: 50) { totalCount } }
          none: team(slug: "no-such-team") { slug }
        }
      }
    `;

    const answer = await octokit.graphql<{
      organization: { security: { privacy: string; members: { totalCount: number } }; none: null };
    }>(query, { org });
    const refusal = await refused.request('POST /graphql', { query, variables: { org: bare } });

    expect(answer.organization).toEqual({
      security: {
        privacy: 'SECRET',
        parentTeam: null,
        members: { totalCount: membersNow('security').length },
      },
      none: null,
    });
    expect(refusal.data).toMatchObject({
      data: { organization: { security: null, none: null } },
      errors: [
        { type: 'FORBIDDEN', path: ['organization', 'security'] },
        { type: 'FORBIDDEN', path: ['organization', 'none'] },
      ],
    });
  });

  it("rejects what GitHub's schema rejects", async () => {
    const error = await octokit
      .graphql(`{ organization(login: "${org}") { teams(first: 5) { nodes { role } } } }`)
      .catch((e: { errors: { message: string }[] }) => e);

    expect(error).toMatchObject({
      errors: [{ message: 'Cannot query field "role" on type "Team".' }],
    });
  });

  it('refuses teams to an installation without the Members permission: FORBIDDEN, and a null organization since teams is non-null', async () => {
    const response = await refused.request('POST /graphql', {
      query: teamsQuery,
      variables: { org: bare, first: 10 },
    });

    expect(response.data).toEqual({
      data: { organization: null, rateLimit: { cost: 1 } },
      errors: [
        expect.objectContaining({
          type: 'FORBIDDEN',
          path: ['organization', 'teams'],
          message: 'Resource not accessible by integration',
        }),
      ],
    });
  });

  it("answers NOT_FOUND for an organisation that is not the installation's", async () => {
    const response = await octokit.request('POST /graphql', {
      query: teamsQuery,
      variables: { org: bare, first: 10 },
    });

    expect(response.data).toMatchObject({
      data: { organization: null },
      errors: [{ type: 'NOT_FOUND', path: ['organization'] }],
    });
  });
});

describe('GitHub simulator teams over REST', () => {
  it('lists every team, secret ones too, a page at a time with Link headers', async () => {
    const first = await octokit.request('GET /orgs/{org}/teams', { org, per_page: 3 });
    const all = await octokit.paginate('GET /orgs/{org}/teams', { org, per_page: 3 });

    expect(first.data).toHaveLength(3);
    expect(first.headers.link).toContain('rel="next"');
    expect(all.map((t) => [t.slug, t.privacy, t.parent?.slug ?? null])).toEqual(
      sim.dataset.teams
        .list()
        .map((t) => [t.slug, t.privacy === 'SECRET' ? 'secret' : 'closed', t.parent?.slug ?? null]),
    );
  });

  it("lists a team's members, its child teams' among them, filtered by role and paged", async () => {
    const members = await octokit.paginate('GET /orgs/{org}/teams/{team_slug}/members', {
      org,
      team_slug: 'platform',
      per_page: 2,
    });
    const maintainers = await octokit.request('GET /orgs/{org}/teams/{team_slug}/members', {
      org,
      team_slug: 'platform',
      role: 'maintainer',
    });

    expect(members.map((member) => member.login)).toEqual(membersNow('platform'));
    // `inherited` is newer than Octokit's types.
    const inherited = members.filter((member) => (member as { inherited?: boolean }).inherited);
    expect(inherited.map((member) => member.login)).toEqual(membersNow('platform-infra'));
    expect(maintainers.data.length).toBeGreaterThan(0);
    expect(maintainers.data.every((member) => member.role === 'maintainer')).toBe(true);
    expect(maintainers.data.length).toBeLessThan(members.length);
  });

  it("answers one person's membership of a team, 404 when they have none", async () => {
    const [inherited] = membersNow('platform-infra');
    const outsider = sim.dataset.members.find((member) => member.type === 'Bot')?.login ?? '';

    const membership = await octokit.request(
      'GET /orgs/{org}/teams/{team_slug}/memberships/{username}',
      { org, team_slug: 'platform', username: inherited ?? '' },
    );
    const none = await octokit
      .request('GET /orgs/{org}/teams/{team_slug}/memberships/{username}', {
        org,
        team_slug: 'platform',
        username: outsider,
      })
      .catch((error: { status: number }) => error);

    expect(membership.data).toMatchObject({ role: 'member', state: 'active' });
    expect(none).toMatchObject({ status: 404 });
  });

  it("answers 404 for a team or an organisation that is not the installation's", async () => {
    const status = (request: Promise<unknown>) =>
      request.then(
        () => 200,
        (error: { status: number }) => error.status,
      );

    expect(
      await status(
        octokit.request('GET /orgs/{org}/teams/{team_slug}/members', { org, team_slug: 'nope' }),
      ),
    ).toBe(404);
    expect(await status(octokit.request('GET /orgs/{org}/teams', { org: bare }))).toBe(404);
  });

  it('refuses an installation without the Members permission 403, naming the permission, and issues it tokens without it', async () => {
    const refusals = await Promise.all(
      [
        refused.request('GET /orgs/{org}/teams', { org: bare }),
        refused.request('GET /orgs/{org}/teams/{team_slug}/members', {
          org: bare,
          team_slug: 'platform',
        }),
        refused.request('GET /orgs/{org}/teams/{team_slug}/memberships/{username}', {
          org: bare,
          team_slug: 'platform',
          username: 'anyone',
        }),
      ].map((request) =>
        request.catch(
          (error: { status: number; response: { data: unknown; headers: object } }) => error,
        ),
      ),
    );
    const token = await simOctokit(sim, { asApp: true }).request(
      'POST /app/installations/{installation_id}/access_tokens',
      { installation_id: 62 },
    );

    for (const refusal of refusals) {
      expect(refusal).toMatchObject({
        status: 403,
        response: {
          data: { message: 'Resource not accessible by integration' },
          headers: { 'x-accepted-github-permissions': 'members=read' },
        },
      });
    }
    expect(token.data.permissions).toEqual(withoutMembers);
    expect(token.data.permissions).not.toHaveProperty('members');
  });
});

describe('GitHub simulator teams for a signed-in person', () => {
  const slugsFor = async (person: Octokit) =>
    (await person.paginate('GET /orgs/{org}/teams', { org })).map((t) => t.slug);
  const status = (request: Promise<unknown>) =>
    request.then(
      () => 200,
      (error: { status: number }) => error.status,
    );

  it('shows an owner every team and a member the visible ones and the secret ones they are in', async () => {
    const security = team(sim.dataset, 'security');
    const inSecurity = (login: string) => membersNow('security', 'IMMEDIATE').includes(login);
    const people = sim.dataset.members.filter(
      (member) => member.type === 'User' && member !== sim.admin,
    );
    // The owner sees the secret team without being in it.
    if (inSecurity(sim.admin.login))
      await sim.activity.teams.removeMember('security', sim.admin.login, { webhook: false });
    const champion = people.find((member) => inSecurity(member.login));
    const other = people.find((member) => !inSecurity(member.login));
    if (!champion || !other) throw new Error('no champion, or nobody else');
    const [owner, insider, outsider] = await Promise.all(
      [sim.admin, champion, other].map((person) => personOctokit(sim, person)),
    );
    if (!owner || !insider || !outsider) throw new Error('not signed in');
    const visible = sim.dataset.teams
      .list()
      .filter((t) => t !== security)
      .map((t) => t.slug);

    expect(await slugsFor(owner)).toEqual(sim.dataset.teams.list().map((t) => t.slug));
    expect(await slugsFor(insider)).toEqual(sim.dataset.teams.list().map((t) => t.slug));
    expect(await slugsFor(outsider)).toEqual(visible);
    expect(
      await status(
        outsider.request('GET /orgs/{org}/teams/{team_slug}/members', {
          org,
          team_slug: 'security',
        }),
      ),
    ).toBe(404);
    expect(
      (
        await insider.request('GET /orgs/{org}/teams/{team_slug}/members', {
          org,
          team_slug: 'security',
        })
      ).data.map((member) => member.login),
    ).toEqual(membersNow('security'));
  });

  it('answers 404 to a person outside the organisation, a collaborator too, and 403 where the App lacks Members', async () => {
    const stranger = await personOctokit(sim, sim.outsider);
    const collaborator = await personOctokit(sim, sim.collaborator.user);
    const bareOwner = sim.installations.get(62)?.dataset.members[0];
    if (!bareOwner) throw new Error('no owner of bare-org');
    const owner = await personOctokit(sim, bareOwner);

    expect(sim.collaborator.repository).toBeDefined();
    expect(await status(stranger.request('GET /orgs/{org}/teams', { org }))).toBe(404);
    expect(await status(collaborator.request('GET /orgs/{org}/teams', { org }))).toBe(404);
    expect(await status(owner.request('GET /orgs/{org}/teams', { org: bare }))).toBe(403);
  });
});

/**
 * The example GitHub publishes for an event and action (the one sent to an
 * App, with `installation`, when there is one).
 */
function exampleOf(event: string, action: string): Record<string, unknown> | undefined {
  const candidates = (examples.find((definition) => definition.name === event)?.examples ?? [])
    .filter((example) => example.action === action)
    .sort((a, b) => Number('installation' in b) - Number('installation' in a));
  return candidates[0];
}

/** Keys the example has that the payload lacks, at the top and one level in. */
function missingKeys(example: Record<string, unknown>, payload: Record<string, unknown>): string[] {
  return Object.entries(example).flatMap(([key, value]) => {
    if (!(key in payload)) return [key];
    const ours = payload[key];
    if (typeof value !== 'object' || value === null || typeof ours !== 'object' || ours === null)
      return [];
    return Object.keys(value)
      .filter((inner) => !(inner in ours))
      .map((inner) => `${key}.${inner}`);
  });
}

/** Every delivery succeeded (the receiver verified its signature) and its payload is GitHub's. */
function expectGitHubs(deliveries: Delivery[]) {
  expect(deliveries.map((delivery) => delivery.statusCode)).toEqual(deliveries.map(() => 200));
  expect(received.map(({ event, payload }) => [event, payload.action])).toEqual(
    deliveries.map((delivery) => [delivery.event, delivery.action]),
  );
  for (const { event, payload } of received) {
    const validate = webhookValidator(event, String(payload.action));
    expect(validate(payload) ? [] : validate.errors).toEqual([]);
    const example = exampleOf(event, String(payload.action));
    if (example) expect(missingKeys(example, payload)).toEqual([]);
    expect(payload.installation).toMatchObject({ id: 61 });
  }
}

describe('GitHub simulator team activity and webhooks', () => {
  it('moves a person from one team to another: membership removed then added, signed, and REST answers with the move', async () => {
    const [mover] = membersNow('product', 'IMMEDIATE').filter(
      (login) => !membersNow('security', 'IMMEDIATE').includes(login),
    );
    if (!mover) throw new Error('nobody to move');

    const deliveries = await sim.activity.teams.move(mover, 'product', 'platform');

    expectGitHubs(deliveries);
    expect(
      received.map(({ payload }) => [
        payload.action,
        (payload.team as { slug: string }).slug,
        (payload.member as { login: string }).login,
        payload.scope,
      ]),
    ).toEqual([
      ['removed', 'product', mover, 'team'],
      ['added', 'platform', mover, 'team'],
    ]);
    const platform = await octokit.paginate('GET /orgs/{org}/teams/{team_slug}/members', {
      org,
      team_slug: 'platform',
    });
    expect(platform.find((member) => member.login === mover)).toMatchObject({
      inherited: false,
    });
    const product = await octokit.paginate('GET /orgs/{org}/teams/{team_slug}/members', {
      org,
      team_slug: 'product',
    });
    expect(product.map((member) => member.login)).not.toContain(mover);
    const intervals = sim.dataset.teams.history().filter((i) => i.user.login === mover);
    expect(intervals.at(-2)).toMatchObject({ team: { slug: 'product' } });
    expect(intervals.at(-2)?.leftAt).toEqual(intervals.at(-1)?.joinedAt);
    expect(intervals.at(-1)).toMatchObject({ team: { slug: 'platform' }, leftAt: null });
  });

  it('can change membership with no webhook, as when one is missed, which only reading again shows', async () => {
    const [member] = membersNow('security', 'IMMEDIATE').filter(
      (login) => login !== sim.admin.login,
    );
    const before = sim.webhooks.deliveries.length;

    const deliveries = await sim.activity.teams.removeMember('security', member ?? '', {
      webhook: false,
    });

    expect(deliveries).toEqual([]);
    expect(sim.webhooks.deliveries).toHaveLength(before);
    expect(received).toEqual([]);
    const security = await octokit.paginate('GET /orgs/{org}/teams/{team_slug}/members', {
      org,
      team_slug: 'security',
    });
    expect(security.map((m) => m.login)).not.toContain(member);
  });

  it('creates, edits (a rename and a new parent) and deletes teams, a parent with its child', async () => {
    const deliveries = [
      ...(await sim.activity.teams.createTeam({ name: 'Mobile', description: 'Apps' })),
      ...(await sim.activity.teams.createTeam({ name: 'Mobile iOS', parent: 'mobile' })),
      ...(await sim.activity.teams.editTeam('mobile-ios', { name: 'Mobile Apple' })),
      ...(await sim.activity.teams.editTeam('product', { parent: 'mobile' })),
      ...(await sim.activity.teams.deleteTeam('mobile')),
    ];

    expectGitHubs(deliveries);
    expect(
      received.map(({ payload }) => {
        const { slug, parent } = payload.team as { slug: string; parent: { slug: string } | null };
        return [payload.action, slug, parent?.slug ?? null, payload.changes ?? null];
      }),
    ).toEqual([
      ['created', 'mobile', null, null],
      ['created', 'mobile-ios', 'mobile', null],
      ['edited', 'mobile-apple', 'mobile', { name: { from: 'Mobile iOS' } }],
      // GitHub's `changes` has no entry for a parent: only `team.parent` tells.
      ['edited', 'product', 'mobile', {}],
      ['deleted', 'product', 'mobile', null],
      ['deleted', 'mobile-apple', 'mobile', null],
      ['deleted', 'mobile', null, null],
    ]);
    const listed = await octokit.paginate('GET /orgs/{org}/teams', { org });
    expect(listed.map((t) => t.slug)).toEqual(['platform', 'platform-infra', 'security']);
  });

  it('adds a newcomer to the organisation and a team, then sees them leave it and every team', async () => {
    const deliveries = [
      ...(await sim.activity.teams.joinOrganisation('new-hire')),
      ...(await sim.activity.teams.addMember('platform-infra', 'new-hire')),
      ...(await sim.activity.teams.addMember('security', 'new-hire', { role: 'MAINTAINER' })),
      ...(await sim.activity.teams.leaveOrganisation('new-hire')),
    ];

    expectGitHubs(deliveries);
    expect(received.map(({ event, payload }) => [event, payload.action])).toEqual([
      ['organization', 'member_added'],
      ['membership', 'added'],
      ['membership', 'added'],
      ['organization', 'member_removed'],
    ]);
    expect(received[0]?.payload.membership).toMatchObject({
      state: 'active',
      role: 'member',
      user: { login: 'new-hire' },
    });
    expect(membersNow('platform')).not.toContain('new-hire');
    expect(
      sim.dataset.teams
        .history()
        .filter((interval) => interval.user.login === 'new-hire')
        .map((interval) => [interval.team.slug, interval.role, interval.leftAt !== null]),
    ).toEqual([
      ['platform-infra', 'MEMBER', true],
      ['security', 'MAINTAINER', true],
    ]);
  });

  it('takes a member who leaves the organisation out of its teams and its installation', async () => {
    const leaver = sim.dataset.members.find(
      (member) => member.type === 'User' && member !== sim.admin,
    );
    if (!leaver) throw new Error('nobody to leave');
    const person = await personOctokit(sim, leaver);
    const before = (await person.request('GET /user/installations')).data.total_count;

    const deliveries = await sim.activity.teams.leaveOrganisation(leaver.login);

    expectGitHubs(deliveries);
    expect(before).toBe(1);
    expect((await person.request('GET /user/installations')).data.total_count).toBe(0);
    const teams = await octokit.paginate('GET /orgs/{org}/teams', { org });
    for (const { slug } of teams) expect(membersNow(slug)).not.toContain(leaver.login);
  });

  it('delivers nothing to an installation without the Members permission, as GitHub subscribes it to none of these events', async () => {
    const bareOrg = sim.installations.get(62);
    if (!bareOrg) throw new Error('no installation 62');
    const [member] = bareOrg.dataset.teams.members(
      team(bareOrg.dataset, 'product'),
      Date.now(),
      'IMMEDIATE',
    );

    const deliveries = await bareOrg.activity.teams.removeMember(
      'product',
      member?.user.login ?? '',
    );

    expect(deliveries).toEqual([]);
    expect(received).toEqual([]);
  });
});
