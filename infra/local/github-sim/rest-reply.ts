/** What a REST route answers; the server adds GitHub's headers. */
export interface RestReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const notFound: RestReply = {
  status: 404,
  body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' },
};

/**
 * GitHub's answer to a request the installation's permissions do not cover:
 * 403, and the permission it would need in `x-accepted-github-permissions`
 * (https://docs.github.com/rest/using-the-rest-api/troubleshooting-the-rest-api).
 */
export function notAccessible(documentationUrl: string, permission: string): RestReply {
  return {
    status: 403,
    body: {
      message: 'Resource not accessible by integration',
      documentation_url: documentationUrl,
      status: '403',
    },
    headers: { 'x-accepted-github-permissions': permission },
  };
}
