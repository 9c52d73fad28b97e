import type { SyncRequest } from '../queue/sync-job.ts';
import type { TeamsJob } from '../queue/teams-job.ts';
import type { InstallationRecord } from '../store/installations.ts';
import type { TableRef } from '../store/table.ts';

/** What an event handler may touch while processing one delivery. */
export interface EventContext {
  deliveryId: string;
  now: Date;
  table: TableRef;
  /** The installation as stored when the delivery came in (never a deleted one); undefined if new. */
  installation: InstallationRecord | undefined;
  /** Queues one sync job per repository (no-op for an empty list). */
  requestSync(request: Omit<SyncRequest, 'deliveryId' | 'now'>): Promise<void>;
  /** Queues a fetch of the installation's Copilot usage days. */
  requestCopilotUsage(installationId: number): Promise<void>;
  /** Queues a reading of the installation's GitHub teams. */
  requestTeamsReading(
    installationId: number,
    trigger: Extract<TeamsJob['trigger'], 'installation' | 'permissions-accepted'>,
  ): Promise<void>;
}
