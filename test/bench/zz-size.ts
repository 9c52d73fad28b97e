import { createRequire } from 'node:module';
import { marshall } from '@aws-sdk/util-dynamodb';
import { pullRequestItem } from '#shared/store/pull-requests.ts';

const require = createRequire(import.meta.url);
const db = require('dynalite/db/index.js');
const at = (h: number) =>
  new Date(Date.parse('2026-10-01T10:00:00Z') + h * 3_600_000).toISOString();
const number = 12345;
const person = (n: number) => ({ id: 100 + (n % 1800), login: `person-${n % 1800}` });
const pr: any = {
  installationId: 79,
  repositoryId: 13,
  repositoryFullName: 'bench/repo-13',
  number,
  title: `Change ${number}`,
  state: 'merged',
  draft: false,
  authorId: person(number).id,
  authorLogin: person(number).login,
  authorType: 'User',
  createdAt: at(0),
  updatedAt: at(30),
  closedAt: at(30),
  mergedAt: at(30),
  labels: ['feature'],
  baseRef: 'main',
  additions: 300,
  deletions: 40,
  changedFiles: 7,
  commitCount: 3,
  readyAt: at(1),
  firstCommitAt: at(-2),
  commitDates: [at(-2), at(0), at(12)],
  coAuthors: [],
  reviews: Object.fromEntries(
    [0, 1].map((r) => [
      `${number}-${r}`,
      {
        reviewId: number * 10 + r,
        reviewerId: person(number + r + 1).id,
        reviewerLogin: person(number + r + 1).login,
        reviewerType: 'User',
        state: r === 0 ? 'commented' : 'approved',
        submittedAt: at(4 + r * 10),
      },
    ]),
  ),
};
const item = marshall(pullRequestItem(pr), { removeUndefinedValues: true });
let total = 0;
for (const [k, v] of Object.entries(item)) {
  const s = db.itemSize({ [k]: v });
  total += s;
  console.log(k.padEnd(20), s, JSON.stringify(v).slice(0, 80));
}
console.log('total', total, db.itemSize(item));
