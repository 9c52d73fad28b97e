import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { font } from './email-parts.ts';
import { escapeHtml } from './format.ts';

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
export function confirmPage(): APIGatewayProxyStructuredResultV2 {
  return htmlPage(
    200,
    'Unsubscribe from Flowmeter emails?',
    '<p>You will no longer receive weekly digests or sync notices for this organisation.</p><form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit" style="font-size:1rem;padding:.5rem 1rem">Unsubscribe</button></form>',
  );
}

export function donePage(): APIGatewayProxyStructuredResultV2 {
  return htmlPage(
    200,
    'Unsubscribed',
    '<p>This address receives no more Flowmeter emails for this organisation. An administrator can add it back with <code>npm run settings</code>.</p>',
  );
}
