import * as z from 'zod/mini';
import {
  githubAppEnvironment,
  githubBudgetEnvironment,
  nonEmpty,
  oneAppCredentialSource,
} from '#shared/config.ts';
import type { FunctionDefinition } from '#shared/function-definition.ts';

export const teamsFunction = {
  name: 'teams',
  description:
    "Reads an organisation's GitHub teams and their members, and brings the stored membership history in line",
  memoryMb: 512,
  timeoutSeconds: 300,
  // One installation per invocation: a reading is a request per 100 teams.
  trigger: { kind: 'queue', queue: 'teams', batchSize: 1 },
  // Its installation's items only: the installation, its budget, its teams. No scan, batch write or delete.
  table: [{ actions: ['GetItem', 'Query', 'UpdateItem'], partitions: ['INST#*'] }],
  sendsTo: ['teams'],
  config: z
    .object({
      TABLE_NAME: nonEmpty,
      TEAMS_QUEUE_URL: z.url(),
      ...githubAppEnvironment,
      ...githubBudgetEnvironment,
    })
    .check(oneAppCredentialSource),
} as const satisfies FunctionDefinition;
