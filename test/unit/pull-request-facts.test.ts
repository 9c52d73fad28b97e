import { describe, expect, it } from 'vitest';
import { pullRequestFacts } from '#shared/github/pull-request-facts.ts';
import { pullRequestEventSchema } from '#shared/github/webhook-payloads.ts';

function payload(overrides: Record<string, unknown>) {
  return pullRequestEventSchema.parse({
    action: 'closed',
    installation: { id: 7 },
    repository: {
      id: 70,
      full_name: 'acme/api',
      name: 'api',
      owner: { id: 100, login: 'acme', type: 'Organization' },
    },
    pull_request: {
      id: 1,
      number: 12,
      title: 'Add rollups',
      state: 'closed',
      draft: false,
      user: { id: 5, login: 'dev', type: 'User' },
      created_at: '2026-11-01T09:00:00Z',
      updated_at: '2026-11-02T09:00:00Z',
      closed_at: '2026-11-02T09:00:00Z',
      merged_at: '2026-11-02T09:00:00Z',
      labels: [{ name: 'feature', color: 'fff' }],
      base: { ref: 'main', sha: 'abc' },
      additions: 10,
      deletions: 2,
      changed_files: 3,
      commits: 4,
      body: 'not stored',
      ...overrides,
    },
  });
}

describe('pullRequestFacts', () => {
  it('calls a closed pull request with a merge time merged', () => {
    expect(pullRequestFacts(payload({})).state).toBe('merged');
  });

  it('keeps a closed, unmerged pull request closed', () => {
    expect(pullRequestFacts(payload({ merged_at: null })).state).toBe('closed');
  });

  it('keeps only the facts the metrics use', () => {
    expect(pullRequestFacts(payload({}))).toEqual({
      installationId: 7,
      repositoryId: 70,
      repositoryFullName: 'acme/api',
      number: 12,
      title: 'Add rollups',
      state: 'merged',
      draft: false,
      authorId: 5,
      authorLogin: 'dev',
      authorType: 'User',
      createdAt: '2026-11-01T09:00:00Z',
      updatedAt: '2026-11-02T09:00:00Z',
      closedAt: '2026-11-02T09:00:00Z',
      mergedAt: '2026-11-02T09:00:00Z',
      labels: ['feature'],
      baseRef: 'main',
      additions: 10,
      deletions: 2,
      changedFiles: 3,
      commitCount: 4,
    });
  });

  it("keeps the people an AI agent's pull request is assigned to, not the agent, and no one else's assignees", () => {
    const copilot = { id: 198_982_749, login: 'Copilot', type: 'Bot' };
    const ada = { id: 6, login: 'ada', type: 'User' };
    expect(pullRequestFacts(payload({ user: copilot, assignees: [ada, copilot] }))).toMatchObject({
      authorLogin: 'Copilot',
      assignees: [{ id: 6, login: 'ada' }],
    });
    expect(pullRequestFacts(payload({ assignees: [ada] }))).not.toHaveProperty('assignees');
  });
});
