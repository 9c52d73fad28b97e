import {
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  verify,
} from 'node:crypto';

/**
 * GitHub App authentication as api.github.com does it: an RS256 JWT signed
 * with the App's private key buys a one-hour installation token, and every
 * other call needs such a token.
 */
export interface AppCredentials {
  appId: number;
  /** PKCS#1 PEM, the format GitHub hands out. */
  privateKey: string;
}

export interface InstallationToken {
  token: string;
  installationId: number;
  expiresAt: number;
}

export class AuthError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** GitHub refuses JWTs valid for longer than ten minutes. */
const maxJwtLifetimeSeconds = 600;
/** Clock drift GitHub tolerates on `iat`. */
const driftSeconds = 60;
const tokenLifetimeMs = 3_600_000;

export function generateAppCredentials(appId: number): AppCredentials {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { appId, privateKey };
}

export class AppAuthority {
  private readonly publicKey: KeyObject;
  private readonly tokens = new Map<string, InstallationToken>();
  private readonly credentials: AppCredentials;
  private readonly now: () => number;

  constructor(credentials: AppCredentials, now: () => number) {
    this.credentials = credentials;
    this.now = now;
    this.publicKey = createPublicKey(credentials.privateKey);
  }

  /** Checks an `Authorization: Bearer <jwt>` the way GitHub does; returns the App id. */
  verifyJwt(jwt: string): number {
    const [header, payload, signature] = jwt.split('.');
    if (!header || !payload || !signature) {
      throw new AuthError(401, 'A JSON web token could not be decoded');
    }
    const valid = verify(
      'RSA-SHA256',
      Buffer.from(`${header}.${payload}`),
      this.publicKey,
      Buffer.from(signature, 'base64url'),
    );
    const claims = decode(header, payload);
    if (!valid || !claims || claims.header.alg !== 'RS256') {
      throw new AuthError(401, 'A JSON web token could not be decoded');
    }
    const { iat, exp, iss } = claims.payload;
    const nowSeconds = Math.floor(this.now() / 1000);
    if (typeof iat !== 'number' || iat > nowSeconds + driftSeconds) {
      throw new AuthError(
        401,
        "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
      );
    }
    if (typeof exp !== 'number' || exp <= nowSeconds) {
      throw new AuthError(
        401,
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
      );
    }
    if (exp - iat > maxJwtLifetimeSeconds + driftSeconds) {
      throw new AuthError(401, "'Expiration time' claim ('exp') is too far in the future");
    }
    if (String(iss) !== String(this.credentials.appId)) {
      throw new AuthError(401, `Integration not found`);
    }
    return this.credentials.appId;
  }

  issueToken(installationId: number): InstallationToken {
    const token: InstallationToken = {
      token: `ghs_${randomBytes(27).toString('base64url').slice(0, 36)}`,
      installationId,
      expiresAt: this.now() + tokenLifetimeMs,
    };
    this.tokens.set(token.token, token);
    return token;
  }

  /** The installation a `token <t>` / `Bearer <t>` header speaks for. */
  installationFor(token: string): number {
    const found = this.tokens.get(token);
    if (!found || found.expiresAt <= this.now()) throw new AuthError(401, 'Bad credentials');
    return found.installationId;
  }
}

function decode(header: string, payload: string) {
  try {
    return {
      header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: string },
      payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
        iat?: unknown;
        exp?: unknown;
        iss?: unknown;
      },
    };
  } catch {
    return undefined;
  }
}
