import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  appManifest,
  appSecretValue,
  dashboardSecretValue,
  registrationUrl,
} from '#infra/ops/app-registration.ts';
import { storedAppSecretSchema } from '#shared/github/app-credentials.ts';
import { routeFor } from '#shared/webhooks/routes.ts';

describe('GitHub App registration', () => {
  it('asks for read access to metadata, pull requests, contents, deployments, issues, members and Copilot metrics, nothing more', () => {
    expect(appManifest.default_permissions).toEqual({
      metadata: 'read',
      pull_requests: 'read',
      contents: 'read',
      deployments: 'read',
      issues: 'read',
      // GET /user/memberships/orgs/{org}, the dashboard's admin check, and the teams reading need "Members" (read).
      members: 'read',
      organization_copilot_metrics: 'read',
    });
    expect(appManifest.public).toBe(false);
  });

  it('subscribes to exactly the events Flowmeter handles (installation events come unasked)', () => {
    for (const event of appManifest.default_events)
      expect(
        routeFor(event, 'opened') ??
          routeFor(event, 'submitted') ??
          routeFor(event, 'renamed') ??
          routeFor(event, 'published') ??
          routeFor(event, 'created') ??
          routeFor(event, 'added') ??
          routeFor(event, 'member_removed'),
        event,
      ).toBeDefined();
    expect([...appManifest.default_events].sort()).toEqual([
      'deployment',
      'deployment_status',
      'issues',
      'membership',
      'organization',
      'pull_request',
      'pull_request_review',
      'release',
      'repository',
      'team',
    ]);
  });

  it("links to GitHub's registration page pre-filled from the manifest", () => {
    const url = new URL(
      registrationUrl({
        githubWebUrl: 'https://ghe.example/',
        webhookUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/webhooks/github',
        dashboardUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com',
        organisation: 'acme',
      }),
    );
    expect(url.searchParams.getAll('callback_urls[]')).toEqual([
      'https://abc.execute-api.eu-west-1.amazonaws.com/login/callback',
    ]);
    expect(url.origin + url.pathname).toBe(
      'https://ghe.example/organizations/acme/settings/apps/new',
    );
    expect(url.searchParams.get('webhook_url')).toBe(
      'https://abc.execute-api.eu-west-1.amazonaws.com/webhooks/github',
    );
    expect(url.searchParams.get('pull_requests')).toBe('read');
    expect(url.searchParams.get('organization_copilot_metrics')).toBe('read');
    expect(url.searchParams.get('deployments')).toBe('read');
    expect(url.searchParams.get('members')).toBe('read');
    expect(url.searchParams.getAll('events[]')).toEqual([
      'deployment',
      'deployment_status',
      'issues',
      'membership',
      'organization',
      'pull_request',
      'pull_request_review',
      'release',
      'repository',
      'team',
    ]);
    expect(
      registrationUrl({ githubWebUrl: 'https://github.com', webhookUrl: 'https://x' }),
    ).toMatch(/^https:\/\/github\.com\/settings\/apps\/new\?/);
  });

  it('stores the id and an RSA key as the worker reads them, and refuses anything else', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs1',
      format: 'pem',
    }) as string;
    expect(storedAppSecretSchema.parse(JSON.parse(appSecretValue(1234, rsa)))).toEqual({
      appId: 1234,
      privateKey: rsa,
    });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    expect(() => appSecretValue(1234, ec)).toThrow(/ec key; GitHub App keys are RSA/);
    expect(() => appSecretValue(1234, 'not a key')).toThrow(/not a PEM private key/);
    expect(() => appSecretValue(0, rsa)).toThrow(/--app-id/);
  });

  it('stores the OAuth client beside the generated session key, and refuses what is not one', () => {
    const stored = JSON.stringify({ clientId: '', clientSecret: '', sessionKey: 'k'.repeat(48) });
    expect(JSON.parse(dashboardSecretValue(stored, 'Iv1.abc123', 's'.repeat(40)))).toEqual({
      clientId: 'Iv1.abc123',
      clientSecret: 's'.repeat(40),
      sessionKey: 'k'.repeat(48),
    });
    expect(() => dashboardSecretValue(stored, '12345', 's'.repeat(40))).toThrow(/client ID/);
    expect(() => dashboardSecretValue('{}', 'Iv1.abc123', 's'.repeat(40))).toThrow(/sessionKey/);
  });
});
