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

/** A finished week is rolled up, and its digests sent, Monday at 06:00 in the zone it is cut in. */
export const digestTime = { weekday: 1, hour: 6 };

/** The zones an installation's weeks are cut in: its own first, then its teams' own, each once. */
export function digestTimeZones(
  installation: Pick<InstallationRecord, 'timeZone' | 'teamTimeZones'>,
): string[] {
  return [
    ...new Set([
      installationTimeZone(installation),
      ...Object.values(installation.teamTimeZones ?? {}),
    ]),
  ];
}

/**
 * Queues rollup jobs. `scheduled` (the hourly schedule): for each time zone
 * an installation's weeks are cut in — its own, and any of its teams' — the
 * zone's finished week with its digests at Monday 06:00 there; otherwise a
 * recompute of late data when it has weeks marked dirty. `now` (`npm run
 * rollup`): the finished week with its digests in every zone of every
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
    const id = installation.installationId;
    const digests = digestTimeZones(installation).flatMap((timeZone) => {
      const week = finishedWeek(now, timeZone);
      const local = localDayAndHour(now, timeZone);
      const due = local.weekday === digestTime.weekday && local.hour === digestTime.hour;
      if (mode === 'scheduled' && !due) return [];
      const run = mode === 'now' ? `now:${now.toISOString()}:` : '';
      return [
        job(installation, {
          week,
          digest: true,
          digestTimeZone: timeZone,
          idempotencyKey: `rollup:${id}:${run}${week}:${timeZone}`,
        }),
      ];
    });
    jobs.push(...digests);
    if (digests.length === 0 && (await listDirtyWeeks(table, id)).length > 0) {
      const hour = now.toISOString().slice(0, 13);
      jobs.push(job(installation, { idempotencyKey: `rollup:${id}:late:${hour}` }));
    }
  }
  await sendMessages(
    sqs,
    rollupQueueUrl,
    // An installation has a job per zone whose Monday it is: batch ids count them.
    jobs.map((rollup, index) =>
      outgoingMessage(rollupJobSchema, rollup, `${rollup.installationId}-${index}`),
    ),
  );
  return jobs;
}
