import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Values sealed with AES-256-GCM (encrypted and authenticated) under a key,
 * with an expiry inside: the dashboard's cookies and forms, and the Slack
 * webhook URLs stored for teams. A value that was altered, sealed under
 * another key or has expired unseals to null.
 */
export function seal(key: Buffer, value: unknown, expiresAt: number): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const plain = Buffer.from(JSON.stringify({ value, expiresAt }), 'utf8');
  const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

export function unseal(key: Buffer, token: string, now: number): unknown {
  try {
    const raw = Buffer.from(token, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
    const { value, expiresAt } = JSON.parse(plain.toString('utf8')) as {
      value: unknown;
      expiresAt: number;
    };
    return expiresAt > now ? value : null;
  } catch {
    return null;
  }
}
