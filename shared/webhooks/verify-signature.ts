import { verifyWithFallback } from '@octokit/webhooks-methods';
import { SignatureError } from '../errors.ts';
import type { WebhookSecrets } from '../github/webhook-secrets.ts';

/**
 * Checks X-Hub-Signature-256 against the current secret and, during a
 * rotation, the previous one. Throws SignatureError on any mismatch.
 */
export async function verifySignature(
  secrets: WebhookSecrets,
  rawBody: string,
  signature: string,
): Promise<void> {
  const [current, ...previous] = secrets;
  const valid =
    rawBody.length > 0 &&
    (await verifyWithFallback(current, rawBody, signature, previous).catch(() => false));
  if (!valid) throw new SignatureError('signature does not match the payload');
}
