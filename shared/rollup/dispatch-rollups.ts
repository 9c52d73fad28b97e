import type { SQSClient } from '@aws-sdk/client-sqs';
import { finishedWeek, localDayAndHour } from '../metrics/time-zone.ts';
import { outgoingMessage } from '../queue/message.ts';
import { type RollupJob, rollupJobSchema } from '../queue/rollup-job.ts';
import { sendMessages } from '../queue/send-batch.ts';
import { listDirtyWeeks } from '../store/dirty-weeks.ts';
import {
  type InstallationRecord,
  installationTimeZone,
  listInstallations,
} from '../store/installations.ts';
import type { TableRef } from '../store/table.ts';

/** A team's finished week is rolled up, and its digest sent, Monday at 06:00 its time. */
export const digestTime = { weekday: 1, hour: 6 };

/**
 * Queues rollup jobs. `scheduled` (the hourly schedule): the finished week
 * with its digest for each installation at Monday 06:00 local time, and a
 * recompute of late data for the others that have weeks marked dirty.
 * `now` (`npm run rollup`): the finished week with its digest for every
 * installation (or one). Keys name the week or the hour, so a schedule that
 * fires twice queues nothing new to send.
 */
export async function dispatchRollups(
  table: TableRef,
  sqs: Pick<SQSClient, 'send'>,
  rollupQueueUrl: string,
  now: Date,
  mode: 'scheduled' | 'now',
  onlyInstallationId?: number,
): Promise<RollupJob[]> {
  const jobs: RollupJob[] = [];
  const job = (installation: InstallationRecord, fields: Partial<RollupJob>): RollupJob => ({
    version: 1,
    kind: 'rollup',
    idempotencyKey: '',
    installationId: installation.installationId,
    digest: false,
    requestedAt: now.toISOString(),
    ...fields,
  });
  for (const installation of await listInstallations(table)) {
    if (installation.status !== 'active') continue;
    if (onlyInstallationId !== undefined && installation.installationId !== onlyInstallationId)
      continue;
    const timeZone = installationTimeZone(installation);
    const week = finishedWeek(now, timeZone);
    const local = localDayAndHour(now, timeZone);
    const id = installation.installationId;
    if (mode === 'now') {
      jobs.push(
        job(installation, {
          week,
          digest: true,
          idempotencyKey: `rollup:${id}:now:${now.toISOString()}`,
        }),
      );
    } else if (local.weekday === digestTime.weekday && local.hour === digestTime.hour) {
      jobs.push(job(installation, { week, digest: true, idempotencyKey: `rollup:${id}:${week}` }));
    } else if ((await listDirtyWeeks(table, id)).length > 0) {
      const hour = now.toISOString().slice(0, 13);
      jobs.push(job(installation, { idempotencyKey: `rollup:${id}:late:${hour}` }));
    }
  }
  await sendMessages(
    sqs,
    rollupQueueUrl,
    jobs.map((rollup) => outgoingMessage(rollupJobSchema, rollup, String(rollup.installationId))),
  );
  return jobs;
}
