import type { MembershipSpell, TeamRecord } from '#shared/metrics/team-attribution.ts';
import { people } from './pull-request-factory.ts';

/**
 * The teams of the hand-worked team tests: Platform (1) holds API (2); Web
 * (3) and the secret Ops (4) stand alone. Alice is in API all along; Bob
 * moves from Web to API on Wednesday 18 November at noon; Carol is in Web and
 * in Ops.
 */
export const teams: TeamRecord[] = [
  { teamId: 1, slug: 'platform', name: 'Platform', privacy: 'visible', parentTeamId: null },
  { teamId: 2, slug: 'api', name: 'API', privacy: 'visible', parentTeamId: 1 },
  { teamId: 3, slug: 'web', name: 'Web', privacy: 'visible', parentTeamId: null },
  { teamId: 4, slug: 'ops', name: 'Ops', privacy: 'secret', parentTeamId: null },
];

export const move = '2026-11-18T12:00:00Z';
const since = '2026-01-01T00:00:00Z';
const { alice, bob, carol } = people;

export const spells: MembershipSpell[] = [
  { teamId: 2, userId: alice.id, login: alice.login, joinedAt: since, leftAt: null },
  { teamId: 3, userId: bob.id, login: bob.login, joinedAt: since, leftAt: move },
  { teamId: 2, userId: bob.id, login: bob.login, joinedAt: move, leftAt: null },
  { teamId: 3, userId: carol.id, login: carol.login, joinedAt: since, leftAt: null },
  { teamId: 4, userId: carol.id, login: carol.login, joinedAt: since, leftAt: null },
];
