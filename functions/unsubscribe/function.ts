import * as z from 'zod/mini';
import { nonEmpty } from '#shared/config.ts';
import type { FunctionDefinition } from '#shared/function-definition.ts';
import { table } from '#shared/resources.ts';
import { recipientAttributes } from '#shared/store/settings.ts';

export const unsubscribeFunction = {
  name: 'unsubscribe',
  description: 'Removes an email recipient through the link in their emails',
  memoryMb: 512,
  timeoutSeconds: 10,
  trigger: {
    kind: 'http',
    routes: [
      { method: 'GET', path: '/unsubscribe/{installationId}/{token}' },
      { method: 'POST', path: '/unsubscribe/{installationId}/{token}' },
      // A team digest's recipients are the team's.
      { method: 'GET', path: '/unsubscribe/{installationId}/teams/{teamId}/{token}' },
      { method: 'POST', path: '/unsubscribe/{installationId}/teams/{teamId}/{token}' },
    ],
    authorization: 'none',
    checkedBy:
      'Recipients follow the link from their mailbox without credentials; the unguessable per-recipient token in the path is the authorisation.',
  },
  // Anyone with a link calls it: it reads and conditionally updates an installation's or a team's recipients, no more.
  table: [
    {
      actions: ['GetItem', 'UpdateItem'],
      partitions: ['INST#*'],
      attributes: [table.partitionKey, table.sortKey, ...recipientAttributes],
    },
  ],
  sendsTo: [],
  config: z.object({ TABLE_NAME: nonEmpty }),
} as const satisfies FunctionDefinition;
