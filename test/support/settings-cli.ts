import { execFile } from 'node:child_process';
import type { TableRef } from '#shared/store/table.ts';

/**
 * `npm run settings` against a test's table, as an operator runs it
 * against AWS with `--table`. Asynchronously: the embedded DynamoDB it
 * talks to runs in the test's own process.
 */
export function settingsCli(
  table: TableRef,
  installationId: number,
  ...flags: string[]
): Promise<{ status: number; out: string; err: string }> {
  const args = [
    new URL('../../infra/ops/settings.ts', import.meta.url).pathname,
    '--installation',
    String(installationId),
    '--table',
    table.tableName,
    ...flags,
  ];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env: process.env }, (error, out, err) => {
      resolve({ status: error ? Number(error.code) : 0, out, err });
    });
  });
}
