// Trusted documents for the dashboard, APQ for analysts. A request names a persisted document by
// `extensions.persistedQuery.sha256Hash` (Apollo APQ, version 1) or `documentId`, over POST or GET.
// Policy (PERSISTED_OPERATIONS): `enforce` lets only ANALYST and ADMIN send GraphQL text, everyone else
// runs the reviewed manifest; `apq` also lets ANALYST and ADMIN register documents (hash, then hash + text);
// `off` lets anyone send text and any signed-in user register. Persisted text goes through the normal
// pipeline, so Yoga's parse and validation caches, every validation rule (limits) and every authorization
// rule still apply.
import { usePersistedOperations as useYogaPersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import type { ErrorCode } from '../domain/errors.js';
import { isUser, readsEverything } from '../domain/viewer.js';
import { documentHashOf, sha256Hex, type PersistedDocuments } from '../infra/persisted-documents.js';
import { apiError } from '../schema/errors.js';
import { requireViewer, viewerOf, type Identities } from './identity.js';

export type PersistedOperationsPolicy = 'enforce' | 'apq' | 'off';

/** The plugin's error options: a message and extensions with the code's HTTP status (src/domain/errors.ts). */
const refusal = (code: ErrorCode, message: string, headers?: Record<string, string>) => ({
  message,
  extensions: apiError(code, message, { request: headers ? { headers } : true }).extensions,
});
// Apollo's persisted-queries link retries with the text when it sees this message or code. 200 and
// no-cache, as Apollo Server answers: a CDN must not keep the miss for GET requests.
const NOT_FOUND = refusal('PERSISTED_QUERY_NOT_FOUND', 'PersistedQueryNotFound', { 'cache-control': 'private, no-cache, must-revalidate' });
const TEXT_NOT_ALLOWED = refusal(
  'PERSISTED_QUERY_ONLY',
  "Only ANALYST and ADMIN may send GraphQL text; other clients run the dashboard's persisted documents (send extensions.persistedQuery or documentId).",
);
const NO_DOCUMENT = refusal(
  'BAD_REQUEST',
  'Send a GraphQL document in `query`, or a persisted document id in `extensions.persistedQuery` or `documentId`.',
);

/** The id a request names, from the APQ extension or `documentId` (JSON body, or the URL of a GET). */
function persistedIdOf(params: GraphQLParams & { documentId?: unknown }, request: Request): string | null {
  const apq = (params.extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | undefined)?.persistedQuery;
  if (apq?.version === 1 && typeof apq.sha256Hash === 'string') return apq.sha256Hash;
  if (typeof params.documentId === 'string') return params.documentId;
  if (request.method === 'GET') return new URL(request.url).searchParams.get('documentId');
  return null;
}

export function usePersistedOperations(deps: {
  policy: PersistedOperationsPolicy;
  documents: PersistedDocuments;
  identities: Identities;
}): Plugin {
  const { policy, documents, identities } = deps;
  // Keyed by the operation's context, not the request: every operation of a batch shares the request.
  const registrations = new WeakMap<object, { hash: string; text: string; owner: string; write?: Promise<void> }>();

  /** Whether this request may send its own text; without a viewer it is answered right here (401, or 503). */
  const writesText = async (request: Request): Promise<boolean> =>
    policy === 'off' || readsEverything(requireViewer(await identities.of(request)));

  /**
   * Who registers this request's document (the owner its budget is counted on), or null: always a signed-in
   * user (under `off` too, where text needs no token until the context answers 401, so anonymous clients
   * would otherwise fill the store); under `apq` an ANALYST or ADMIN. The service identity runs fixed
   * documents and never registers.
   */
  const registrant = async (request: Request): Promise<string | null> => {
    if (policy === 'enforce') return null;
    // Without a viewer, the context answers 401 (or 503).
    const viewer = viewerOf(await identities.of(request));
    return viewer && isUser(viewer) && (policy === 'off' || readsEverything(viewer)) ? `user:${viewer.id}` : null;
  };

  const core = useYogaPersistedOperations({
    extractPersistedOperationId: (params, request) => persistedIdOf(params, request),
    getPersistedOperation: async (id, request) => {
      const hash = documentHashOf(id);
      if (hash === undefined) return null;
      const trusted = documents.trusted(hash);
      if (trusted !== undefined) return trusted;
      // Registered documents serve only those who could send the text themselves: everyone else stays on
      // the reviewed list (a hash they learnt does not widen it).
      return (await writesText(request)) ? ((await documents.registered(hash)) ?? null) : null;
    },
    allowArbitraryOperations: writesText,
    customErrors: { notFound: NOT_FOUND, persistedQueryOnly: TEXT_NOT_ALLOWED, keyNotFound: NO_DOCUMENT },
  });

  return {
    onPluginInit({ addPlugin }) {
      // Added right after this plugin, so the hook below sees id + text pairs before the core does.
      addPlugin(core as Plugin);
    },
    // Synchronous unless a text is to be registered (an async hook costs every request a promise and a tick).
    onParams({ request, params, setParams, context }) {
      const id = persistedIdOf(params, request);
      const query = params.query;
      if (id === null || typeof query !== 'string' || query === '') return;
      // An id with its text: APQ's second step, or a client that always sends both.
      const hash = documentHashOf(id);
      if (hash === undefined || sha256Hex(query) !== hash) {
        throw apiError(
          'PERSISTED_QUERY_HASH_MISMATCH',
          'The persisted document id is not the sha256 of the query text: nothing was run or stored.',
          { request: true },
        );
      }
      if (documents.trusted(hash) !== undefined) {
        // The reviewed text itself: run it as if only the id had come.
        setParams({ ...params, query: undefined });
        return;
      }
      return registrant(request).then((owner) => {
        if (owner !== null) registrations.set(context, { hash, text: query, owner });
        // The core then treats it as text (its id is ignored), which the policy allows or refuses.
        const { documentId: _id, ...text } = params as GraphQLParams & { documentId?: unknown };
        setParams(text);
      });
    },
    onValidate({ context }) {
      const registration = registrations.get(context);
      if (!registration) return;
      // Only documents that validate are kept (never a typo, never one over the query limits).
      return ({ valid }) => {
        if (valid) registration.write = documents.register(registration.hash, registration.text, registration.owner);
      };
    },
    onExecutionResult({ context }) {
      // Answer only once the registration is stored, so the next request may go to any instance.
      return registrations.get(context)?.write;
    },
  };
}
