/**
 * How every Lambda bundle is built (FlowmeterFunction has esbuild bundle
 * each function so), said once for the code that must bundle as it does:
 * the bundle tests and benchmarks.
 */

/**
 * Modules every bundle takes from a file of ours instead (esbuild `alias`):
 * each file says why. Only bundles importing the module change; the local
 * stack runs the packages themselves.
 */
export const lambdaAliases = {
  '@aws-sdk/credential-provider-node': './infra/lambda-credentials.ts',
  'moment-timezone': './infra/moment-timezone-intl.ts',
} as const;

/** esbuild's options for a function's bundle: minified ESM for Node 24, the aliases above. */
export const lambdaBuildOptions = {
  bundle: true,
  minify: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  mainFields: ['module', 'main'],
  alias: lambdaAliases,
} as const;
