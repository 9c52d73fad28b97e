import * as z from 'zod/mini';
import { nonEmpty } from '#shared/config.ts';
import type { FunctionDefinition } from '#shared/function-definition.ts';

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
    ],
    authorization: 'none',
    checkedBy:
      'Recipients follow the link from their mailbox without credentials; the unguessable per-recipient token in the path is the authorisation.',
  },
  table: 'readWrite',
  sendsTo: [],
  config: z.object({ TABLE_NAME: nonEmpty }),
} as const satisfies FunctionDefinition;
