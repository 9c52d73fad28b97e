import { RequestError } from '@octokit/request-error';
import * as z from 'zod/mini';
import type { AppClient } from './app-client.ts';
import { rateLimitIn } from './rate-limited.ts';

/** The two daily reports Flowmeter reads: the organisation's totals and each user's day. */
export type CopilotReport = 'organization-1-day' | 'users-1-day';

export type ReportAnswer =
  /** The report's files, downloaded. */
  | { kind: 'files'; files: string[] }
  /** 204: nothing to report that day (Copilot unused, or fewer than five users). */
  | { kind: 'no-data' }
  /** 404: no report for that day (before the organisation's reports begin, or past GitHub's year). */
  | { kind: 'not-available' };

/** GitHub refused to show the organisation's Copilot usage: asking again tomorrow may help, retrying now will not. */
export class CopilotAccessError extends Error {
  readonly access: 'no-permission' | 'disabled';
  constructor(access: 'no-permission' | 'disabled', message: string, options?: ErrorOptions) {
    super(message, options);
    this.access = access;
  }
}

const linksSchema = z.object({
  download_links: z.array(z.url()),
  report_day: z.string(),
});

/**
 * One day's report: GitHub answers with signed, short-lived download links
 * (`download_links`) to newline-delimited JSON files, fetched here without
 * the installation token (they are signed for anyone who holds them, and the
 * token must not leave for another host). Rate limits become a
 * `RateLimitedError`; a refusal a `CopilotAccessError`.
 */
export async function fetchCopilotReport(
  octokit: Pick<AppClient, 'request'>,
  organisation: string,
  report: CopilotReport,
  day: string,
  download: typeof fetch = fetch,
): Promise<ReportAnswer> {
  let response: { status: number; data: unknown };
  try {
    response = await octokit.request(`GET /orgs/{org}/copilot/metrics/reports/${report}`, {
      org: organisation,
      day,
    });
  } catch (error) {
    if (error instanceof RequestError && error.status === 404) return { kind: 'not-available' };
    throw refusal(error);
  }
  if (response.status === 204) return { kind: 'no-data' };
  const { download_links: links } = linksSchema.parse(response.data);
  const files = await Promise.all(
    links.map(async (link) => {
      const file = await download(link);
      if (!file.ok) throw new Error(`report download answered ${file.status}`);
      return file.text();
    }),
  );
  return { kind: 'files', files };
}

/** Limits wait; a 403 or 422 that is not a limit says why Copilot usage is closed. */
function refusal(error: unknown): unknown {
  if (!(error instanceof RequestError)) return error;
  const headers = (error.response?.headers ?? {}) as Record<string, string | undefined>;
  const limited = rateLimitIn({ message: error.message, headers }, error);
  if (limited) return limited;
  if (error.status === 403 && /not accessible by integration/i.test(error.message))
    return new CopilotAccessError('no-permission', error.message, { cause: error });
  if (error.status === 403 || error.status === 422)
    return new CopilotAccessError('disabled', error.message, { cause: error });
  return error;
}
