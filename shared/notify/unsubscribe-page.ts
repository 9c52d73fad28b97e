import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { NotFoundError } from '../errors.ts';
import { escapeHtml } from '../views/format.ts';
import { font } from './email-parts.ts';

/** The small HTML pages of the unsubscribe route. */
export function htmlPage(
  statusCode: number,
  title: string,
  body: string,
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    body: `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head><body style="${font};max-width:32rem;margin:3rem auto;padding:0 1rem;color:#111827"><h1 style="font-size:1.25rem">${escapeHtml(title)}</h1>${body}</body></html>`,
  };
}

/** GET shows a button: link scanners fetch links, so only a POST unsubscribes. */
export function confirmPage(link: { teamId?: number }): APIGatewayProxyStructuredResultV2 {
  return htmlPage(
    200,
    'Unsubscribe from Flowmeter emails?',
    `<p>You will no longer receive ${link.teamId === undefined ? 'weekly digests or sync notices for this organisation' : "this team's weekly digest"}.</p><form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit" style="font-size:1rem;padding:.5rem 1rem">Unsubscribe</button></form>`,
  );
}

export function donePage(link: { teamId?: number }): APIGatewayProxyStructuredResultV2 {
  return htmlPage(
    200,
    'Unsubscribed',
    `<p>This address receives no more Flowmeter emails for this ${link.teamId === undefined ? 'organisation' : 'team'}. An administrator can add it back on the settings page or with <code>npm run settings</code>.</p>`,
  );
}

/** The installation and recipient token an unsubscribe link names; a malformed link is a 404. */
export function unsubscribeLink(event: Pick<APIGatewayProxyEventV2, 'pathParameters'>): {
  installationId: number;
  token: string;
  /** A team digest's link names the team. */
  teamId?: number;
} {
  const { installationId = '', token = '', teamId } = event.pathParameters ?? {};
  const id = /^\d{1,15}$/;
  if (
    !id.test(installationId) ||
    !/^[A-Za-z0-9_-]{16,64}$/.test(token) ||
    (teamId !== undefined && !id.test(teamId))
  )
    throw new NotFoundError('malformed unsubscribe link');
  return {
    installationId: Number(installationId),
    token,
    ...(teamId === undefined ? {} : { teamId: Number(teamId) }),
  };
}

/** What the route answers when it cannot do its job: a malformed link, or a failure of ours. */
export function errorPage(statusCode: number): APIGatewayProxyStructuredResultV2 {
  return statusCode === 404
    ? htmlPage(404, 'Not found', '<p>This unsubscribe link is malformed.</p>')
    : htmlPage(500, 'Something went wrong', '<p>Please try the link again in a minute.</p>');
}
