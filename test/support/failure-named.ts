import type { Ended } from './recomputed-delivery.ts';

/** What the dashboard's deployments list must say of a recomputed failure: its reason, with what that names. */
export const failureNamed = ({ kind, by }: NonNullable<Ended['failedBy']>): string =>
  ({
    status: 'its last status was ',
    rollback: `rolled back by deployment ${by}`,
    revert: `was reverted by #${by}`,
    incident: `incident #${by} `,
  })[kind];
