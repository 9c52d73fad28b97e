import * as z from 'zod';

/**
 * The parts of GitHub's webhook payloads Flowmeter reads, and nothing more.
 * A signed payload that lacks them is bad input (400), never a crash (5xx).
 * zod's default object mode drops every other field, so stored items only
 * ever hold what is named here.
 */

const user = z.object({
  id: z.number().int(),
  login: z.string().min(1),
  type: z.string().default('User'),
});
export type GitHubUser = z.infer<typeof user>;

const installationRef = z.object({ id: z.number().int().positive() });

const installation = installationRef.extend({
  // Enterprise installations have no account; they have nothing to sync here.
  account: user,
  repository_selection: z.enum(['all', 'selected']).optional(),
});

export const repositorySchema = z.object({
  id: z.number().int().positive(),
  node_id: z.string().optional(),
  name: z.string().min(1),
  full_name: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'owner/name'),
  private: z.boolean().default(false),
});
export type GitHubRepository = z.infer<typeof repositorySchema>;

export const installationEventSchema = z.object({
  action: z.string(),
  installation,
  repositories: z.array(repositorySchema).default([]),
});

export const installationRepositoriesEventSchema = z.object({
  action: z.string(),
  installation,
  repositories_added: z.array(repositorySchema).default([]),
  repositories_removed: z.array(repositorySchema.pick({ id: true, full_name: true })).default([]),
});

const timestamp = z.iso.datetime({ offset: true });

/** Fields present on every pull request payload, the review event's included. */
const pullRequestBase = z.object({
  id: z.number().int(),
  node_id: z.string().optional(),
  number: z.number().int().positive(),
  title: z.string(),
  state: z.enum(['open', 'closed']),
  draft: z.boolean().default(false),
  user,
  created_at: timestamp,
  updated_at: timestamp,
  closed_at: timestamp.nullable(),
  merged_at: timestamp.nullable(),
  labels: z.array(z.object({ name: z.string() })).default([]),
  base: z.object({ ref: z.string() }),
});

/** The `pull_request` event carries size facts the review event's copy lacks. */
const pullRequestFull = pullRequestBase.extend({
  additions: z.number().int().nonnegative().optional(),
  deletions: z.number().int().nonnegative().optional(),
  changed_files: z.number().int().nonnegative().optional(),
  commits: z.number().int().nonnegative().optional(),
});
export type PullRequestPayload = z.infer<typeof pullRequestFull>;

const repositoryOfEvent = repositorySchema.pick({ id: true, full_name: true });

export const pullRequestEventSchema = z.object({
  action: z.string(),
  installation: installationRef,
  repository: repositoryOfEvent,
  pull_request: pullRequestFull,
});

export const pullRequestReviewEventSchema = z.object({
  action: z.string(),
  installation: installationRef,
  repository: repositoryOfEvent,
  pull_request: pullRequestBase,
  review: z.object({
    id: z.number().int(),
    user,
    state: z.string().transform((state) => state.toLowerCase()),
    submitted_at: timestamp.nullable(),
  }),
});
export type PullRequestReviewEvent = z.infer<typeof pullRequestReviewEventSchema>;
