import { sign } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { SignatureError } from '#shared/errors.ts';
import { verifySignature } from '#shared/webhooks/verify-signature.ts';

const body = '{"action":"opened"}';

describe('verifySignature', () => {
  it('accepts a body signed with the current secret', async () => {
    await expect(
      verifySignature(['current'], body, await sign('current', body)),
    ).resolves.toBeUndefined();
  });

  it('accepts the previous secret during a rotation', async () => {
    await expect(
      verifySignature(['new', 'old'], body, await sign('old', body)),
    ).resolves.toBeUndefined();
  });

  it('rejects the previous secret once the rotation is over', async () => {
    await expect(verifySignature(['new'], body, await sign('old', body))).rejects.toThrow(
      SignatureError,
    );
  });

  it('rejects a tampered body', async () => {
    const signature = await sign('current', body);

    await expect(
      verifySignature(['current'], body.replace('opened', 'closed'), signature),
    ).rejects.toThrow(SignatureError);
  });

  it.each(['', 'sha256=', 'sha1=0123', 'garbage'])(
    'rejects the signature %j',
    async (signature) => {
      await expect(verifySignature(['current'], body, signature)).rejects.toThrow(SignatureError);
    },
  );

  it('rejects an empty body even with a matching-looking signature', async () => {
    await expect(verifySignature(['current'], '', 'sha256=00')).rejects.toThrow(SignatureError);
  });
});
