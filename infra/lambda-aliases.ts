/**
 * Modules every Lambda bundle takes from a file of ours instead (esbuild
 * `alias`, set by FlowmeterFunction): each file says why. Only bundles that
 * import the module are changed; the local stack runs the packages themselves.
 */
export const lambdaAliases = {
  '@aws-sdk/credential-provider-node': './infra/lambda-credentials.ts',
  'moment-timezone': './infra/moment-timezone-intl.ts',
} as const;
