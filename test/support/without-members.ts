import manifest from '#infra/github-app-manifest.json' with { type: 'json' };

/**
 * The App's permissions as an owner who has not approved "Members" leaves
 * them: no teams to read, and no memberships to ask about.
 */
export const { members: _members, ...withoutMembers } = manifest.default_permissions;
