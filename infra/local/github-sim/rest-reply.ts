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
