/**
 * Replaces `@aws-sdk/credential-provider-node` in Lambda bundles (an esbuild
 * alias set by FlowmeterFunction). In Lambda the role's credentials are always in
 * the environment, the first place the SDK's default chain looks; the rest
 * of the chain (profiles, SSO, web identity, containers, each with the STS /
 * SSO clients it needs) is 135 KB of every bundle that can never be used.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = fromEnv;
/** Environment credentials are the function's for its whole life: never stale. */
export const credentialsWillNeedRefresh = () => false;
export const credentialsTreatedAsExpired = () => false;
