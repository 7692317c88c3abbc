// What an operation may cost before it runs: every selected field counts 1, and everything under a
// connection counts once per row of its page (`first`/`last`, else the default page size) or, under
// nodes(ids:), once per id, so nested pages multiply as their rows do in SQL. Used by use-query-limits.ts.
import {
  getNamedType,
  isCompositeType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_NODE_IDS, MAX_PAGE_SIZE } from '../schema/pagination/page-args.js';

/**
 * The most fields the response may hold, page sizes multiplied out. Introspection lists count once: their
 * cycles (`fields { type { fields ... } }`) are refused by graphql-js' own MaxIntrospectionDepthRule.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variableValues: Record<string, unknown> | null | undefined,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  // A variable the request left out takes the operation's default, as in execution.
  const variables: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) variables[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
  }
  Object.assign(variables, variableValues ?? {});

  // A fragment costs the same wherever it is spread (its parent multiplies it): each is walked once, so
  // fragments that spread each other many times cannot make the estimate itself slow.
  const fragmentCosts = new Map<string, number>();

  const argument = (field: FieldNode, name: string): unknown => {
    const node = field.arguments?.find((a) => a.name.value === name);
    return node ? valueFromASTUntyped(node.value, variables) : undefined;
  };

  /** Rows per parent under this field: the page size of a connection, the ids of nodes(ids:), else 1. */
  const rowsUnder = (field: FieldNode, definition: GraphQLField<unknown, unknown>): number => {
    const names = new Set(definition.args.map((a) => a.name));
    if (names.has('first') || names.has('last')) {
      // Sizes outside 0..MAX_PAGE_SIZE are refused by the field itself (BAD_USER_INPUT), not priced here.
      const size = [argument(field, 'first'), argument(field, 'last')].find((v) => typeof v === 'number');
      return size === undefined ? DEFAULT_PAGE_SIZE : clamp(size as number, MAX_PAGE_SIZE);
    }
    if (definition.name === 'nodes' && names.has('ids')) {
      const ids = argument(field, 'ids');
      return Array.isArray(ids) ? clamp(ids.length, MAX_NODE_IDS) : 1;
    }
    return 1;
  };

  const fieldDefinition = (parent: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined => {
    if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
    if (parent === schema.getQueryType()) {
      if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
      if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    }
    return 'getFields' in parent ? parent.getFields()[name] : undefined;
  };

  const walk = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const definition = fieldDefinition(parent, selection.name.value);
        if (!definition) continue; // validation has already refused unknown fields
        const type = getNamedType(definition.type);
        const below = selection.selectionSet && isCompositeType(type) ? walk(selection.selectionSet, type) : 0;
        cost += 1 + rowsUnder(selection, definition) * below;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) cost += walk(selection.selectionSet, type);
      } else {
        cost += fragmentCost(selection.name.value);
      }
    }
    return cost;
  };

  const fragmentCost = (name: string): number => {
    const known = fragmentCosts.get(name);
    if (known !== undefined) return known;
    // Cycles are refused by validation before this runs; the placeholder only guards against a loop.
    fragmentCosts.set(name, 0);
    const fragment = fragments.get(name);
    const type = fragment && schema.getType(fragment.typeCondition.name.value);
    const cost = fragment && type && isCompositeType(type) ? walk(fragment.selectionSet, type) : 0;
    fragmentCosts.set(name, cost);
    return cost;
  };

  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  return root ? walk(operation.selectionSet, root) : 0;
}

function clamp(value: number, max: number): number {
  return Math.min(Math.max(Math.trunc(value), 0), max);
}
