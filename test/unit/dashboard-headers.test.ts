import { describe, expect, it } from 'vitest';
import { securityHeaders } from '#shared/dashboard/responses.ts';

const signIn = (callbackUrl: string) => ({
  webUrl: 'https://github.com',
  apiUrl: 'https://api.github.com',
  clientId: 'Iv1.x',
  clientSecret: 'x',
  callbackUrl,
});

describe("the dashboard's headers", () => {
  it('tell browsers to come back over HTTPS only where the dashboard is served over HTTPS', () => {
    const deployed = securityHeaders(signIn('https://dash.example/login/callback'));
    expect(deployed['strict-transport-security']).toBe('max-age=63072000');
    const local = securityHeaders(signIn('http://127.0.0.1:3000/login/callback'));
    expect(local).not.toHaveProperty('strict-transport-security');
  });

  it("allow forms to post only here and to GitHub's sign-in, and no framing", () => {
    const csp = securityHeaders(signIn('https://dash.example/login/callback'))[
      'content-security-policy'
    ];
    expect(csp).toContain("form-action 'self' https://github.com");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
