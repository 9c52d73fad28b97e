import { describe, expect, it } from 'vitest';
import { dashboardCookie } from '../support/dashboard-sign-in.ts';
import { useStackWithGitHub } from '../support/stack-with-github.ts';
import { withoutMembers } from '../support/without-members.ts';

/**
 * GitHub answers `GET /user/memberships/orgs/{org}` for an App only with the
 * organisation's Members (read) permission. An installation whose owner has
 * not yet approved it refuses even its owner settings, and says why.
 */
const github = useStackWithGitHub(
  {
    seed: 717,
    installationId: 717,
    organisation: 'unapproved',
    repositories: [{ name: 'app', pullRequests: 5 }],
  },
  { daysBack: 0, appPermissions: withoutMembers },
);

describe('settings where the App may not read memberships', () => {
  it("refuses the organisation's owner, saying the Members permission awaits approval", async () => {
    await github.installAndSync();
    const cookie = await dashboardCookie(github.harness.stack.url, github.sim, github.sim.admin);
    const response = await fetch(`${github.harness.stack.url}/installations/717/settings`, {
      headers: { cookie },
    });
    expect(response.status).toBe(403);
    const body = await response.text();
    expect(body).toContain("the App's Members (read) permission has not been approved yet");
    // The repositories GitHub lists for the owner are still theirs to see.
    const page = await fetch(`${github.harness.stack.url}/installations/717`, {
      headers: { cookie },
    });
    const body2 = await page.text();
    expect(body2).toContain('unapproved/app');
    // Without Members, no teams either, and the page says why.
    expect(body2).toContain(
      'No teams: GitHub lets the App read an organisation&#39;s teams only with the Members (read) permission',
    );
  });
});
