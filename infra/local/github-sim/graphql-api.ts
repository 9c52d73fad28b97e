import { schema as published } from '@octokit/graphql-schema';
import {
  buildClientSchema,
  execute,
  type GraphQLError,
  type GraphQLSchema,
  type IntrospectionQuery,
  parse,
  validate,
} from 'graphql';
import type { Dataset, SimRepository } from './dataset.ts';
import { type FaultOptions, graphqlTimeout } from './faults.ts';
import { queryCost } from './graphql-cost.ts';
import { rootValue } from './graphql-resolvers.ts';
import { organizationField } from './graphql-teams.ts';
import type { RateLimitState } from './rate-limits.ts';
import type { AppPermissions } from './rest-objects.ts';

/**
 * `POST /graphql`: queries are parsed and validated against GitHub's published
 * schema (@octokit/graphql-schema), so a query GitHub would reject fails here
 * too; then costed by GitHub's formula, charged, and executed.
 */
let githubSchema: GraphQLSchema | undefined;
function schema(): GraphQLSchema {
  githubSchema ??= buildClientSchema(published.json as unknown as IntrospectionQuery);
  return githubSchema;
}

export interface GraphqlRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface GraphqlContext {
  dataset: Dataset;
  installationId: number;
  /** What the installation was granted (`members` for teams). */
  permissions: AppPermissions;
  /** The instant of the request (epoch ms), which teams' members are read at. */
  at: number;
  visible: (repo: SimRepository) => boolean;
  /** The faults switched on: heavy queries time out, fields are refused, PRs are missing. */
  faults: Readonly<FaultOptions>;
  /** Spends the query's cost; false when the budget cannot cover it. */
  charge: (cost: number) => { allowed: boolean; state: RateLimitState };
}

export interface GraphqlResult {
  status: number;
  body: unknown;
  rateLimit?: RateLimitState;
  cost: number;
}

export function handleGraphql(request: GraphqlRequest, context: GraphqlContext): GraphqlResult {
  if (typeof request.query !== 'string') {
    return { status: 400, body: { message: 'Problems parsing JSON' }, cost: 0 };
  }
  const variables = (request.variables ?? {}) as Record<string, unknown>;
  const operationName =
    typeof request.operationName === 'string' ? request.operationName : undefined;
  let document: ReturnType<typeof parse>;
  try {
    document = parse(request.query);
  } catch (error) {
    return { status: 200, body: { errors: [formatError(error as GraphQLError)] }, cost: 0 };
  }
  const invalid = validate(schema(), document);
  if (invalid.length > 0) {
    return { status: 200, body: { errors: invalid.map(formatError) }, cost: 0 };
  }
  const cost = queryCost(schema(), document, variables, operationName);
  if (cost.errors.length > 0) {
    return { status: 200, body: { errors: cost.errors.map((message) => ({ message })) }, cost: 0 };
  }
  const { faults } = context;
  if (
    (faults.graphqlMaxNodes !== undefined && cost.nodeCount > faults.graphqlMaxNodes) ||
    (faults.graphqlMaxCost !== undefined && cost.cost > faults.graphqlMaxCost)
  ) {
    return { ...graphqlTimeout, status: faults.graphqlTimeoutStatus ?? 502, cost: 0 };
  }
  const charged = context.charge(cost.cost);
  if (!charged.allowed) {
    return {
      status: 200,
      body: {
        errors: [
          {
            type: 'RATE_LIMITED',
            message: `API rate limit already exceeded for installation ID ${context.installationId}.`,
          },
        ],
      },
      rateLimit: charged.state,
      cost: 0,
    };
  }
  const root = {
    ...rootValue(context.dataset, context.visible, faults),
    organization: organizationField(context.dataset, context),
    rateLimit: () => ({
      cost: cost.cost,
      limit: charged.state.limit,
      remaining: charged.state.remaining,
      used: charged.state.used,
      resetAt: new Date(charged.state.reset * 1000).toISOString(),
      nodeCount: cost.nodeCount,
    }),
  };
  const result = execute({
    schema: schema(),
    document,
    rootValue: root,
    variableValues: variables,
    operationName,
  }) as Awaited<ReturnType<typeof execute>>;
  const body = result.errors
    ? { data: result.data ?? null, errors: result.errors.map(formatError) }
    : { data: result.data };
  return { status: 200, body, rateLimit: charged.state, cost: cost.cost };
}

/** GitHub's error shape: the message, where, and a `type` when GitHub gives one. */
function formatError(error: GraphQLError) {
  const type = (error.originalError as { type?: string } | undefined)?.type;
  return {
    ...(type ? { type } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.locations ? { locations: error.locations } : {}),
    message: error.message,
  };
}
