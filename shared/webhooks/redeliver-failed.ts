import type { DeliveryLog, HookDelivery } from '../github/delivery-log.ts';
import { claimRedelivery, deliveryDone, releaseRedelivery } from '../store/deliveries.ts';
import type { TableRef } from '../store/table.ts';

/** GitHub redelivers only what it delivered in the last three days. */
const redeliverableMs = 3 * 86_400_000;

/**
 * GitHub does not retry a failed delivery by itself: each delivery of the
 * last three days whose attempts all failed, and that Flowmeter has not
 * processed since, is asked for again — once, however often this runs.
 * Returns how many were asked for.
 */
export async function redeliverFailed(
  table: TableRef,
  log: DeliveryLog,
  now: Date,
): Promise<number> {
  const since = now.getTime() - redeliverableMs;
  const byGuid = new Map<string, HookDelivery[]>();
  pages: for await (const page of log.attempts()) {
    for (const attempt of page) {
      if (Date.parse(attempt.delivered_at) < since) break pages;
      byGuid.set(attempt.guid, [...(byGuid.get(attempt.guid) ?? []), attempt]);
    }
  }
  let asked = 0;
  for (const [guid, attempts] of byGuid) {
    const succeeded = attempts.some((a) => a.status_code >= 200 && a.status_code < 300);
    if (succeeded || (await deliveryDone(table, guid))) continue;
    if (!(await claimRedelivery(table, guid, now))) continue;
    try {
      // Newest first: the latest attempt is the one to repeat.
      await log.redeliver((attempts[0] as HookDelivery).id);
    } catch (error) {
      await releaseRedelivery(table, guid);
      throw error;
    }
    asked++;
  }
  return asked;
}
