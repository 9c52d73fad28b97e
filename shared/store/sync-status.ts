/**
 * Where a repository's sync stands, as its item records it: written by the
 * sync (`sync/checkpoint.ts`), read there and by admission in this layer.
 */
export type SyncStatus = 'queued' | 'syncing' | 'waiting' | 'complete' | 'failed';

/** A run is under way (or waiting for a rate-limit reset). */
export function runUnderWay(state: { syncStatus?: SyncStatus | undefined }): boolean {
  return state.syncStatus === 'syncing' || state.syncStatus === 'waiting';
}
