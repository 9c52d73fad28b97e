import * as z from 'zod/mini';

/**
 * The parts of GitHub's webhook payloads Flowmeter reads, and nothing more.
 * A signed payload that lacks them is bad input (400), never a crash (5xx).
 * zod's default object mode drops every other field, so stored items only
 * ever hold what is named here.
 */

const user = z.object({
  id: z.int(),
  login: z.string().check(z.minLength(1)),
  type: z._default(z.string(), 'User'),
});
export type GitHubUser = z.infer<typeof user>;

const installationRef = z.object({ id: z.int().check(z.positive()) });

/** When GitHub last changed a thing: ISO text, or epoch seconds in older payloads. */
const changedAt = z.optional(z.nullable(z.union([z.string(), z.number()])));

/** A payload's `updated_at` as ISO text, whichever form it came in: it orders a thing's events. */
export function githubTime(at: string | number | null | undefined): string | undefined {
  if (at === undefined || at === null) return undefined;
  const ms = typeof at === 'number' ? at * 1000 : Date.parse(at);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const installation = z.extend(installationRef, {
  // Enterprise installations have no account; they have nothing to sync here.
  account: user,
  repository_selection: z.optional(z.enum(['all', 'selected'])),
  updated_at: changedAt,
});

export const repositorySchema = z.object({
  id: z.int().check(z.positive()),
  node_id: z.optional(z.string()),
  name: z.string().check(z.minLength(1)),
  full_name: z.string().check(z.regex(/^[^/\s]+\/[^/\s]+$/, 'owner/name')),
  private: z._default(z.boolean(), false),
});
export type GitHubRepository = z.infer<typeof repositorySchema>;

export const installationEventSchema = z.object({
  action: z.string(),
  installation,
  repositories: z._default(z.array(repositorySchema), []),
});

export const installationRepositoriesEventSchema = z.object({
  action: z.string(),
  installation,
  repositories_added: z._default(z.array(repositorySchema), []),
  // Recorded too when never recorded before, so an older `added` cannot bring it back.
  repositories_removed: z._default(z.array(repositorySchema), []),
});

/** A repository as an event about it carries it: `updated_at` orders the names its events give it. */
const repositoryOfEvent = z.extend(repositorySchema, { updated_at: changedAt });

/** `repository.renamed` / `.transferred`: the repository under its new name. */
export const repositoryEventSchema = z.object({
  action: z.string(),
  installation: installationRef,
  repository: repositoryOfEvent,
});

const timestamp = z.iso.datetime({ offset: true });

/** Fields present on every pull request payload, the review event's included. */
const pullRequestBase = z.object({
  id: z.int(),
  node_id: z.optional(z.string()),
  number: z.int().check(z.positive()),
  title: z.string(),
  state: z.enum(['open', 'closed']),
  draft: z._default(z.boolean(), false),
  user,
  created_at: timestamp,
  updated_at: timestamp,
  closed_at: z.nullable(timestamp),
  merged_at: z.nullable(timestamp),
  labels: z._default(z.array(z.object({ name: z.string() })), []),
  /** Whom it is assigned to: for an AI agent's PR, the person who asked for it (and the agent). */
  assignees: z._default(z.array(user), []),
  base: z.object({ ref: z.string() }),
  head: z.optional(z.object({ ref: z.string() })),
  /** While open, GitHub's test merge; once merged, the commit the merge made. */
  merge_commit_sha: z.optional(z.nullable(z.string())),
});

/** The `pull_request` event carries size facts the review event's copy lacks. */
const count = z.optional(z.int().check(z.nonnegative()));
const pullRequestFull = z.extend(pullRequestBase, {
  additions: count,
  deletions: count,
  changed_files: count,
  commits: count,
});
export type PullRequestPayload = z.infer<typeof pullRequestFull>;

/** The repository of a pull request event, with the account that owns it: the installation's. */
const ownedRepository = z.extend(repositoryOfEvent, { owner: user });
export type OwnedRepository = z.infer<typeof ownedRepository>;

export const pullRequestEventSchema = z.object({
  action: z.string(),
  installation: installationRef,
  repository: ownedRepository,
  pull_request: pullRequestFull,
  /** `review_requested` / `review_request_removed` of a team (a person's request names `requested_reviewer`). */
  requested_team: z.optional(z.object({ id: z.int().check(z.positive()) })),
});

export const pullRequestReviewEventSchema = z.object({
  action: z.string(),
  installation: installationRef,
  repository: ownedRepository,
  pull_request: pullRequestBase,
  review: z.object({
    id: z.int(),
    user,
    state: z.string().check(z.toLowerCase()),
    submitted_at: z.nullable(timestamp),
  }),
});
export type PullRequestReviewEvent = z.infer<typeof pullRequestReviewEventSchema>;

/** A deployment as GitHub describes it: which commit went to which environment, when, by whom. */
const deployment = z.object({
  id: z.int().check(z.positive()),
  sha: z.string().check(z.regex(/^[0-9a-f]{40}$/, 'a 40-character commit SHA')),
  ref: z.string(),
  environment: z.string().check(z.minLength(1)),
  creator: z.nullable(user),
  created_at: timestamp,
});

export const deploymentEventSchema = z.object({
  action: z.string(),
  installation: installationRef,
  repository: ownedRepository,
  deployment,
});
export type DeploymentEvent = z.infer<typeof deploymentEventSchema>;

/** GitHub's states for a deployment status; only `success`, `failure` and `error` end one. */
export const deploymentStates = [
  'error',
  'failure',
  'inactive',
  'pending',
  'success',
  'queued',
  'in_progress',
] as const;

export const deploymentStatusEventSchema = z.extend(deploymentEventSchema, {
  deployment_status: z.object({
    id: z.int().check(z.positive()),
    state: z.enum(deploymentStates),
    created_at: timestamp,
  }),
});

/** `release`: a release published, edited, unpublished (made a draft again) or deleted. */
export const releaseEventSchema = z.object({
  action: z.string(),
  installation: installationRef,
  repository: ownedRepository,
  release: z.object({
    id: z.int().check(z.positive()),
    tag_name: z.string(),
    /** When it was last changed: an `unpublished` withdraws the publications before it. */
    updated_at: changedAt,
  }),
});

/** `issues`: an issue opened, edited, labelled, closed, deleted…; incidents are found among them. */
export const issuesEventSchema = z.object({
  action: z.string(),
  installation: installationRef,
  repository: ownedRepository,
  issue: z.object({
    number: z.int().check(z.positive()),
    title: z.string(),
    body: z._default(z.nullable(z.string()), null),
    labels: z._default(z.array(z.object({ name: z.string() })), []),
    created_at: timestamp,
    /** Orders the events of one issue: an older copy changes nothing. */
    updated_at: timestamp,
    closed_at: z.nullable(timestamp),
  }),
});

/**
 * A team as `team` and `membership` events carry it (GitHub's
 * `webhooks_team`): REST spells a visible team's privacy `closed` (or
 * `open`), and a `parent` says where it is nested now — a parent change
 * comes as `team.edited` with nothing in `changes`. A membership event of a
 * team deleted meanwhile carries only its id and name, `deleted` set.
 */
const team = z.object({
  id: z.int().check(z.positive()),
  name: z.string(),
  slug: z.optional(z.string()),
  privacy: z.optional(z.enum(['open', 'closed', 'secret'])),
  parent: z.optional(z.nullable(z.object({ id: z.int().check(z.positive()) }))),
  deleted: z.optional(z.boolean()),
});
export type GitHubTeam = z.infer<typeof team>;

/** `team` created / edited / deleted. */
export const teamEventSchema = z.object({
  action: z.string(),
  installation: installationRef,
  team,
});

/** `membership` added / removed: a person and a team, and no time (nor role) of the change. */
export const membershipEventSchema = z.object({
  action: z.string(),
  installation: installationRef,
  // Null for a ghost: an account deleted meanwhile.
  member: z.nullable(user),
  team,
});

/** `organization` member_removed: the person who left, and with it every team. */
export const organizationMemberEventSchema = z.object({
  action: z.string(),
  installation: installationRef,
  membership: z.object({ user: z.nullable(user) }),
});
