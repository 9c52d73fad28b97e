import { performance } from 'node:perf_hooks';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { startEmbeddedAws } from '#infra/local/embedded-aws.ts';
import type { StoredPullRequest } from '#shared/metrics/pull-request.ts';
import { dispatchNudges } from '#shared/nudges/dispatch-nudges.ts';
import { recordInstallation, recordRepositories } from '#shared/store/installations.ts';
import { keys } from '#shared/store/keys.ts';
import { nudgeHoursAttribute } from '#shared/store/nudge-settings.ts';
import { putPullRequests } from '#shared/store/pull-requests.ts';
import { recordReviewRequest } from '#shared/store/review-requests.ts';
import { batchWrite } from '#shared/store/table.ts';
import { countingTable } from './query-reads.ts';
import { report } from './report.ts';

/**
 * Benchmark: the morning run for 1,000 teams — 100 installations of 10
 * teams of 8 people, each team's nudge at 09:00, each installation with 40
 * open PRs (a quarter asked of a team) and 40 merged since yesterday's
 * nudge. What the dispatcher reads (every Query and GetItem, with the read
 * units DynamoDB charges) and how long it takes, queueing to a stand-in for
 * SQS. BENCH_NUDGE_INSTALLATIONS sets the installations (100).
 */
const installations = Number(process.env.BENCH_NUDGE_INSTALLATIONS ?? 100);
const teamsEach = 10;
const people = 8;
const aws = await startEmbeddedAws();
const { table, reads, reset } = countingTable(aws, ['QueryCommand', 'GetItemCommand']);
const morning = new Date('2026-12-02T09:00:00Z');
const at = (hoursBefore: number) =>
  new Date(morning.getTime() - hoursBefore * 3_600_000).toISOString();

function pullRequest(installationId: number, number: number, open: boolean): StoredPullRequest {
  const author = (number % (teamsEach * people)) + 1;
  return {
    installationId,
    repositoryId: installationId * 10 + (number % 3),
    repositoryFullName: `org-${installationId}/repo-${number % 3}`,
    number,
    title: `Change ${number}`,
    state: open ? 'open' : 'merged',
    draft: false,
    authorId: author,
    authorLogin: `person-${author}`,
    authorType: 'User',
    createdAt: at(open ? 30 + number : 20),
    updatedAt: at(open ? 30 : 5),
    closedAt: open ? null : at(5),
    mergedAt: open ? null : at(5),
    labels: [],
    baseRef: 'main',
    additions: 50 * number,
    deletions: 10,
    readyAt: at(open ? 30 + number : 20),
    reviews: {},
  };
}

for (let i = 1; i <= installations; i++) {
  const id = 70_000 + i;
  await recordInstallation(
    table,
    { id, account: { id, login: `org-${i}`, type: 'Organization' } },
    morning,
    'active',
  );
  await recordRepositories(
    table,
    id,
    [0, 1, 2].map((n) => ({
      id: id * 10 + n,
      name: `repo-${n}`,
      full_name: `org-${id}/repo-${n}`,
      private: false,
    })),
    morning,
  );
  const teams = Array.from({ length: teamsEach }, (_, t) => t + 1);
  await batchWrite(table, [
    ...teams.map((teamId) => ({
      PutRequest: {
        Item: {
          ...keys.team(id, teamId),
          teamId,
          slug: `team-${teamId}`,
          name: `Team ${teamId}`,
          privacy: 'visible',
          changedAt: at(1000),
          recipients: [{ email: `team-${teamId}@org.example`, unsubscribeToken: 't' }],
          nudge: { hour: 9, email: true },
        },
      },
    })),
    ...teams.flatMap((teamId) =>
      Array.from({ length: people }, (_, p) => {
        const userId = (teamId - 1) * people + p + 1;
        return {
          PutRequest: {
            Item: {
              ...keys.teamMember(id, teamId, userId),
              teamId,
              userId,
              login: `person-${userId}`,
              role: 'member',
              openSince: at(5000),
              past: [],
              changedAt: at(5000),
            },
          },
        };
      }),
    ),
  ]);
  await table.db.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: keys.installation(id),
      UpdateExpression: 'SET #hours = :hours',
      ExpressionAttributeNames: { '#hours': nudgeHoursAttribute },
      ExpressionAttributeValues: { ':hours': Object.fromEntries(teams.map((t) => [String(t), 9])) },
    }),
  );
  const prs = Array.from({ length: 80 }, (_, n) => pullRequest(id, n + 1, n < 40));
  await putPullRequests(table, prs);
  for (const pr of prs.slice(0, 10))
    await recordReviewRequest(table, pr, (pr.number % teamsEach) + 1, true, pr.createdAt);
}

let queued = 0;
const sqs = {
  send: async (command: { input: { Entries?: unknown[] } }) => {
    queued += command.input.Entries?.length ?? 0;
    return {};
  },
};
reset();
const started = performance.now();
const nudges = await dispatchNudges(
  table,
  sqs as never,
  'http://sqs.invalid/notifications',
  morning,
);
const seconds = (performance.now() - started) / 1000;
const { queries, items, capacity } = reads();
await aws.stop();
const teams = installations * teamsEach;
report(
  import.meta.url,
  `The morning run for ${teams.toLocaleString('en')} teams (${installations} installations × ${teamsEach})`,
  [
    {
      name: 'nudges queued (one per team with something waiting)',
      measured: `${nudges.length} (${queued} messages)`,
    },
    {
      name: 'wall time of the dispatch',
      measured: `${seconds.toFixed(2)} s`,
      target: 'under 60 s',
      met: seconds < 60,
    },
    {
      name: 'DynamoDB reads: queries and gets, items read',
      measured: `${queries.toLocaleString('en')}, ${items.toLocaleString('en')} items`,
    },
    {
      name: 'DynamoDB read units (eventually consistent)',
      measured: `${capacity.toFixed(1)} RCU (${(capacity / teams).toFixed(2)} per team)`,
    },
  ],
);
