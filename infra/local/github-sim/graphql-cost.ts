import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  getNamedType,
  isCompositeType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  valueFromASTUntyped,
} from 'graphql';

/**
 * GitHub's GraphQL cost model: every connection must say `first` or `last`
 * (1–100); a connection costs one request per parent node that may hold it;
 * the query costs the sum of requests / 100, rounded, at least 1; and the
 * nodes it could return are capped at 500,000.
 * https://docs.github.com/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api
 */
export interface QueryCost {
  cost: number;
  nodeCount: number;
  errors: string[];
}

const maxPageSize = 100;
export const maxNodeCount = 500_000;

export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  operationName?: string,
): QueryCost {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
    if (
      definition.kind === Kind.OPERATION_DEFINITION &&
      (!operationName || definition.name?.value === operationName)
    ) {
      operation ??= definition;
    }
  }
  const result: QueryCost = { cost: 0, nodeCount: 0, errors: [] };
  const root =
    operation?.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!operation || !root) return { ...result, cost: 1 };
  let requests = 0;

  const visit = (
    selectionSet: SelectionSetNode,
    parentType: GraphQLCompositeType,
    multiplier: number,
  ) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const fields = 'getFields' in parentType ? parentType.getFields() : {};
        const field = fields[selection.name.value];
        if (!field || !selection.selectionSet) continue;
        const type = getNamedType(field.type);
        if (!isCompositeType(type)) continue;
        let childMultiplier = multiplier;
        if (type.name.endsWith('Connection')) {
          const args = Object.fromEntries(
            (selection.arguments ?? []).map((arg) => [
              arg.name.value,
              valueFromASTUntyped(arg.value, variables),
            ]),
          );
          const size = Number(args.first ?? args.last);
          const which = args.first !== undefined ? 'first' : 'last';
          if (args.first === undefined && args.last === undefined) {
            result.errors.push(
              `You must provide a \`first\` or \`last\` value to properly paginate the \`${selection.name.value}\` connection.`,
            );
            continue;
          }
          if (!Number.isInteger(size) || size < 1 || size > maxPageSize) {
            result.errors.push(
              `Requesting ${size} records on the \`${selection.name.value}\` connection exceeds the \`${which}\` limit of ${maxPageSize} records.`,
            );
            continue;
          }
          requests += multiplier;
          childMultiplier = multiplier * size;
          result.nodeCount += childMultiplier;
        }
        visit(selection.selectionSet, type, childMultiplier);
      } else {
        const fragment =
          selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
        if (!fragment) continue;
        const conditionType = fragment.typeCondition
          ? schema.getType(fragment.typeCondition.name.value)
          : parentType;
        if (conditionType && isCompositeType(conditionType)) {
          visit(fragment.selectionSet, conditionType, multiplier);
        }
      }
    }
  };
  visit(operation.selectionSet, root, 1);
  if (result.nodeCount > maxNodeCount) {
    result.errors.push(
      `This query requests up to ${result.nodeCount} possible nodes which exceeds the maximum limit of ${maxNodeCount}.`,
    );
  }
  result.cost = Math.max(1, Math.round(requests / 100));
  return result;
}
