import type { AppClient } from './app-client.ts';

/** One attempt in the App's delivery log (GitHub's hook-delivery-item). */
export interface HookDelivery {
  id: number;
  guid: string;
  delivered_at: string;
  status_code: number;
}

/** The App's webhook delivery log, as GitHub serves it to the App. */
export interface DeliveryLog {
  /** Attempts newest first, from `GET /app/hook/deliveries`, page by page. */
  attempts(): AsyncIterable<HookDelivery[]>;
  /** `POST /app/hook/deliveries/{id}/attempts`. */
  redeliver(id: number): Promise<void>;
}

/** The App's webhook delivery log through Octokit, acting as the App itself (JWT). */
export function appDeliveryLog(octokit: AppClient): DeliveryLog {
  return {
    async *attempts() {
      for await (const { data } of octokit.paginate.iterator('GET /app/hook/deliveries', {
        per_page: 100,
      }))
        yield data as HookDelivery[];
    },
    async redeliver(id) {
      await octokit.request('POST /app/hook/deliveries/{delivery_id}/attempts', {
        delivery_id: id,
      });
    },
  };
}
