import { copilotUsageFunction } from '#functions/copilot-usage/function.ts';
import { dashboardFunction } from '#functions/dashboard/function.ts';
import { holidaysFunction } from '#functions/holidays/function.ts';
import { notifierFunction } from '#functions/notifier/function.ts';
import { nudgeDispatcherFunction } from '#functions/nudge-dispatcher/function.ts';
import { reconcileFunction } from '#functions/reconcile/function.ts';
import { retentionFunction } from '#functions/retention/function.ts';
import { rollupDispatcherFunction } from '#functions/rollup-dispatcher/function.ts';
import { rollupWorkerFunction } from '#functions/rollup-worker/function.ts';
import { statusApiFunction } from '#functions/status-api/function.ts';
import { syncWorkerFunction } from '#functions/sync-worker/function.ts';
import { teamsFunction } from '#functions/teams/function.ts';
import { unsubscribeFunction } from '#functions/unsubscribe/function.ts';
import { webhookFunction } from '#functions/webhook/function.ts';
import type { FunctionDefinition } from '#shared/function-definition.ts';

/** Every Lambda function of Flowmeter: the local stack runs each, the stack test checks each is deployed. */
export const functionDefinitions: readonly FunctionDefinition[] = [
  webhookFunction,
  statusApiFunction,
  unsubscribeFunction,
  syncWorkerFunction,
  copilotUsageFunction,
  teamsFunction,
  reconcileFunction,
  retentionFunction,
  rollupDispatcherFunction,
  rollupWorkerFunction,
  nudgeDispatcherFunction,
  notifierFunction,
  dashboardFunction,
  holidaysFunction,
];
