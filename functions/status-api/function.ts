import * as z from 'zod/mini';
import { nonEmpty } from '#shared/config.ts';
import type { FunctionDefinition } from '#shared/function-definition.ts';

export const statusApiFunction = {
  name: 'status-api',
  description: 'Read-only views of installations, sync progress and metrics',
  memoryMb: 512,
  timeoutSeconds: 10,
  // Operators sign their requests with SigV4 and need execute-api:Invoke on the route.
  trigger: {
    kind: 'http',
    routes: [{ method: 'GET', path: '/api/{proxy+}' }],
    authorization: 'iam',
  },
  table: 'read',
  sendsTo: [],
  config: z.object({ TABLE_NAME: nonEmpty }),
} as const satisfies FunctionDefinition;
