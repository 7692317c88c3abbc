// The Pothos schema builder: plugins and context types only; GraphQL types live in their own files.
import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { Role } from '../domain/viewer.js';
import type PrismaTypes from '../generated/pothos-types.js';
import { getDatamodel } from '../generated/pothos-types.js';
import type { GraphQLContext } from './context.js';
import { ForbiddenError, UserInputError } from './errors.js';
import { isDatabaseId } from './global-ids.js';
import InputGuardPlugin from './input-guard.js';
import { DEFAULT_PAGE_SIZE, MAX_NODE_IDS, MAX_PAGE_SIZE } from './pagination/page-args.js';

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  PrismaTypes: PrismaTypes;
  AuthScopes: {
    /** A signed-in user of any role. */
    signedIn: boolean;
    /** The scheduler's service identity. */
    service: boolean;
    /** A signed-in user with one of these roles. */
    role: readonly Role[];
  };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Date: { Input: Date; Output: Date };
    IsoWeek: { Input: string; Output: string };
  };
}>({
  // ScopeAuth first, so that authorization wraps every other plugin's resolvers. InputGuard checks every
  // String and ID argument before any resolver, id decoding or authorization sees it (input-guard.ts).
  plugins: [ScopeAuthPlugin, PrismaPlugin, RelayPlugin, InputGuardPlugin],
  scopeAuth: {
    authScopes: ({ viewer }) => ({
      signedIn: viewer.kind === 'user',
      service: viewer.kind === 'service',
      role: (roles) => viewer.kind === 'user' && roles.includes(viewer.role),
    }),
    unauthorizedError: () => new ForbiddenError(),
  },
  defaultFieldNullability: false,
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    defaultConnectionSize: DEFAULT_PAGE_SIZE,
    maxConnectionSize: MAX_PAGE_SIZE,
    // Over-fetching is caught by the SQL-inspecting tests (test/api/projection.test.ts) instead.
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodesOnConnection: false,
    edgesFieldOptions: { nullable: { list: false, items: false } },
    nodeFieldOptions: { nullable: false },
    // Reject ids of unknown types or with non-numeric keys as bad input before any resolver runs.
    decodeGlobalID: (globalID) => decodeNodeId(globalID),
    nodesQueryOptions: {
      // Each id is a lookup: a long list is refused as input, before any of them runs.
      resolve: (_root, { ids }, _context, _info, resolveNodes) => {
        if (ids.length > MAX_NODE_IDS) {
          throw new UserInputError(`"ids" may hold at most ${MAX_NODE_IDS} ids`, { argument: 'ids', max: MAX_NODE_IDS });
        }
        return resolveNodes(ids);
      },
    },
  },
});

const GLOBAL_ID = /^([A-Za-z][A-Za-z0-9]*):([1-9][0-9]{0,9})$/;

function isNodeType(typename: string): boolean {
  const store = builder.configStore;
  if (!store.hasImplementation(typename)) return false;
  const config = store.getTypeConfig(typename);
  return config.kind === 'Object' && config.interfaces.some((ref) => store.getTypeConfig(ref).name === 'Node');
}

function decodeNodeId(globalID: string): { typename: string; id: string } {
  const decoded = /^[A-Za-z0-9+/_-]+={0,2}$/.test(globalID) ? Buffer.from(globalID, 'base64').toString('utf8') : '';
  const match = GLOBAL_ID.exec(decoded);
  // An id beyond the integer column would reach PostgreSQL as an out-of-range value.
  if (!match || !isNodeType(match[1]!) || !isDatabaseId(Number(match[2]))) {
    throw new UserInputError(`invalid id: ${JSON.stringify(globalID.slice(0, 64))} is not an id this API issued`);
  }
  return { typename: match[1]!, id: match[2]! };
}

export type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

// Every query needs a signed-in user; the service identity reads nothing.
builder.queryType({ authScopes: { signedIn: true } });
// Mutations too, except those that declare otherwise (the scheduler's generateWeeklyReport).
builder.mutationType({ authScopes: { signedIn: true } });

/** Roles that write their own data (ANALYST reads everything and writes nothing). */
export const WRITER_ROLES = ['EMPLOYEE', 'MANAGER', 'ADMIN'] as const;
