/** The region and made-up credentials every client of the embedded AWS servers uses. */
export const localAws = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;
