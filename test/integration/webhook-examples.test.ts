import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { incomingMessage } from '#shared/queue/message.ts';
import { syncJobSchema } from '#shared/queue/sync-job.ts';
import { keys } from '#shared/store/keys.ts';
import { repositoryReleases } from '#shared/store/releases.ts';
import { startingAtOnce } from '#shared/store/sync-admission.ts';
import { useLocalStack } from '../support/local-stack.ts';

/**
 * Every payload GitHub documents (as published in @octokit/webhooks-examples,
 * for github.com and each GHES release), signed and sent through the front
 * door. Each gets its own installation id so examples cannot affect each other.
 */
interface Definition {
  name: string;
  examples: Record<string, unknown>[];
}

const require = createRequire(import.meta.url);
const examplesRoot = dirname(require.resolve('@octokit/webhooks-examples/package.json'));
const flavours = readdirSync(examplesRoot, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
const examples = flavours.flatMap((flavour) =>
  (require(join(examplesRoot, flavour, 'index.json')) as Definition[]).flatMap((definition) =>
    definition.examples.map((payload, index) => ({
      label: `${flavour} ${definition.name}.${String(payload.action ?? '')} #${index}`,
      event: definition.name,
      payload,
    })),
  ),
);

const harness = useLocalStack();
let nextInstallationId = 1;

interface Repo {
  id: number;
  full_name: string;
}

describe('webhook examples from @octokit/webhooks-examples', () => {
  it('covers hundreds of payloads across github.com and GHES', () => {
    expect(flavours).toContain('api.github.com');
    expect(examples.length).toBeGreaterThan(500);
  });

  it.each(examples)(
    '$label: handled without a 5xx, leaving what it should',
    async ({ event, payload }) => {
      const installationId = nextInstallationId++;
      const installation = payload.installation as Record<string, unknown> | undefined;
      const sent = installation
        ? { ...payload, installation: { ...installation, id: installationId } }
        : payload;

      const response = await harness.send(event, sent);

      expect(response.status).toBeLessThan(500);
      expect([200, 202]).toContain(response.status);
      const jobs = (await harness.drain(harness.stack.aws.syncQueueUrl)).map((body) =>
        incomingMessage(syncJobSchema, JSON.stringify(body)),
      );
      const queuedIds = jobs.map((job) => job.repository.id).sort();
      const action = `${event}.${String(payload.action)}`;
      const repos = (name: string) => (payload[name] as Repo[] | undefined) ?? [];

      if (!installation) {
        expect(response.status).toBe(event === 'ping' ? 200 : 202);
      } else if (action === 'installation.created') {
        expect(await harness.get(keys.installation(installationId))).toMatchObject({
          status: 'active',
        });
        // The first few; the rest held back, to come in as syncs end.
        expect(queuedIds).toEqual(
          repos('repositories')
            .slice(0, startingAtOnce)
            .map((repo) => repo.id)
            .sort(),
        );
      } else if (['installation.deleted', 'installation.suspend'].includes(action)) {
        expect(await harness.get(keys.installation(installationId))).toMatchObject({
          status: action.endsWith('deleted') ? 'deleted' : 'suspended',
        });
        expect(jobs).toEqual([]);
      } else if (event === 'installation_repositories') {
        expect(queuedIds).toEqual(
          repos('repositories_added')
            .slice(0, startingAtOnce)
            .map((repo) => repo.id)
            .sort(),
        );
        for (const repo of repos('repositories_added')) {
          expect(await harness.get(keys.repository(installationId, repo.id))).toMatchObject({
            fullName: repo.full_name,
            active: true,
          });
        }
      } else if (event === 'pull_request' || event === 'pull_request_review') {
        const pr = payload.pull_request as {
          number: number;
          head: { ref: string };
          merged_at: string | null;
          merge_commit_sha: string | null;
        };
        const repository = payload.repository as Repo;
        const stored = await harness.get(
          keys.pullRequest(installationId, repository.id, pr.number),
        );
        expect(stored).toMatchObject({
          number: pr.number,
          repositoryFullName: repository.full_name,
          headRef: pr.head.ref,
        });
        if (pr.merged_at) expect(stored?.mergeCommitSha).toBe(pr.merge_commit_sha);
        else expect(stored?.mergeCommitSha).toBeNull();
        if (event === 'pull_request_review') {
          const review = payload.review as { id: number };
          expect(stored?.reviews).toHaveProperty(String(review.id));
        }
      } else if (action === 'deployment.created' || action === 'deployment_status.created') {
        const deployment = payload.deployment as {
          id: number;
          sha: string;
          environment: string;
          created_at: string;
        };
        const made = { deploymentId: deployment.id, createdAt: deployment.created_at };
        const repository = payload.repository as Repo;
        expect(
          await harness.get(keys.deployment(installationId, repository.id, made)),
        ).toMatchObject({ sha: deployment.sha, environment: deployment.environment });
        if (event === 'deployment_status') {
          const status = payload.deployment_status as { state: string; created_at: string };
          expect(
            await harness.get(
              keys.deploymentStatus(installationId, repository.id, made, {
                createdAt: status.created_at,
                state: status.state,
              }),
            ),
          ).toMatchObject({ state: status.state });
        }
      } else if (event === 'issues') {
        const issue = payload.issue as { number: number; labels?: { name: string }[] };
        const repository = payload.repository as Repo;
        // The examples' labels are "bug" and the like: no incident under the default pattern.
        const incident =
          (issue.labels ?? []).some((label) => /incident/i.test(label.name)) &&
          !['issues.deleted', 'issues.transferred'].includes(action);
        // Any other issue's item is a mark of the event's time, with no incident in it.
        const item = await harness.get(keys.incident(installationId, repository.id, issue.number));
        expect(Boolean(item?.incident)).toBe(incident);
      } else if (event === 'release') {
        const repository = payload.repository as Repo;
        const handled = ['published', 'edited', 'unpublished', 'deleted'].includes(
          String(payload.action),
        );
        // A handled event covers its repository (never recorded here: a first backfill); under
        // the default deployments source a release asks for no sync of its own. The App stores
        // releases from the sync only, where their tags' commits are read.
        expect(jobs.map((job) => job.trigger)).toEqual(handled ? ['repositories-added'] : []);
        expect(await repositoryReleases(harness.table, installationId, repository.id)).toEqual([]);
      } else {
        expect(jobs).toEqual([]);
      }
    },
  );
});
