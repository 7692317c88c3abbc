// `Idempotency-Key` for every mutation: the first request with a key runs and its response is stored for
// 24 hours; the same key with the same operation and variables gets the stored response (nothing runs
// again); with other input it is refused; a duplicate that arrives while the first still runs gets a
// conflict and changes nothing. Keys belong to the caller (user or service), never shared between callers.
import { createHash } from 'node:crypto';
import { Kind, OperationTypeNode, parse, type ExecutionResult } from 'graphql';
import type { GraphQLParams, Plugin } from 'graphql-yoga';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { ErrorCode } from '../domain/errors.js';
import type { Logger } from '../infra/logger.js';
import { apiError } from '../schema/errors.js';
import type { Identities } from './identity.js';

const HEADER = 'idempotency-key';
const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;
const TTL_HOURS = 24;
const RETRYABLE = new Set<string>(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE'] satisfies ErrorCode[]);
/** A claim whose request never finished (a crashed instance) may be taken again after this long. */
const ABANDONED_AFTER_SECONDS = 120;

function refused(code: ErrorCode, message: string): ExecutionResult {
  return { errors: [apiError(code, message, { request: true })] };
}

function isMutation(query: string, operationName?: string | null): boolean {
  try {
    const operations = parse(query).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    const operation = operations.find((d) => !operationName || d.name?.value === operationName) ?? operations[0];
    return operation?.operation === OperationTypeNode.MUTATION;
  } catch {
    return false; // a syntax error is answered by the normal pipeline
  }
}

export function useIdempotencyKey(deps: { prisma: PrismaClient; identities: Identities; logger: Logger }): Plugin {
  const { prisma, identities, logger } = deps;
  const claims = new WeakMap<Request, { scope: string; key: string }>();

  return {
    onRequestParse({ request }) {
      return {
        onRequestParseDone({ requestParserResult }) {
          // One key names one operation; a batch would claim it once per operation.
          if (Array.isArray(requestParserResult) && request.headers.has(HEADER)) {
            throw apiError('BAD_USER_INPUT', 'Idempotency-Key cannot be used with a batched request: send the mutation on its own.', {
              request: true,
            });
          }
        },
      };
    },
    // Synchronous unless the request carries a key (an async hook costs every request a promise and a tick).
    onParams({ request, params, setResult }) {
      const key = request.headers.get(HEADER);
      if (key === null || typeof params.query !== 'string' || !isMutation(params.query, params.operationName)) return;
      if (!KEY_PATTERN.test(key)) {
        setResult(refused('BAD_USER_INPUT', 'Idempotency-Key must be 1 to 200 printable ASCII characters.'));
        return;
      }
      return claim(request, params, key, setResult);
    },
    onResultProcess({ request, result }) {
      const claim = claims.get(request);
      if (!claim || Array.isArray(result) || Symbol.asyncIterator in (result as object)) return;
      claims.delete(request);
      return settle(claim, result as ExecutionResult);
    },
  };

  async function claim(request: Request, params: GraphQLParams, key: string, setResult: (result: ExecutionResult) => void) {
    const identity = await identities.of(request);
    if (identity.outcome !== 'viewer') return; // the context answers 401 or 503
    const scope = identity.viewer.kind === 'user' ? `user:${identity.viewer.id}` : 'service';
    const hash = createHash('sha256')
      .update(JSON.stringify([params.query, params.operationName ?? null, params.variables ?? null]))
      .digest('hex');
    const claimed = await prisma.$queryRaw<{ key: string }[]>`
        INSERT INTO idempotency_keys (scope, key, request_hash, expires_at)
        VALUES (${scope}, ${key}, ${hash}, now() + ${TTL_HOURS} * interval '1 hour')
        ON CONFLICT (scope, key) DO UPDATE
          SET request_hash = EXCLUDED.request_hash, response = NULL, created_at = now(), completed_at = NULL,
              expires_at = EXCLUDED.expires_at
          WHERE idempotency_keys.expires_at <= now()
             OR (idempotency_keys.completed_at IS NULL AND idempotency_keys.created_at < now() - ${ABANDONED_AFTER_SECONDS} * interval '1 second')
        RETURNING key`;
    if (claimed.length) {
      claims.set(request, { scope, key });
      return;
    }
    const existing = await prisma.idempotencyKey.findUnique({ where: { scope_key: { scope, key } } });
    if (!existing) {
      setResult(refused('CONFLICT', 'A request with this Idempotency-Key is in progress; retry later.'));
    } else if (existing.requestHash !== hash) {
      setResult(refused('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request.'));
    } else if (existing.response === null) {
      setResult(refused('CONFLICT', 'A request with this Idempotency-Key is in progress; retry later.'));
    } else {
      const stored = existing.response as ExecutionResult;
      setResult({ ...stored, extensions: { ...(stored.extensions ?? {}), idempotency: { replayed: true } } });
    }
  }

  async function settle(claim: { scope: string; key: string }, executed: ExecutionResult) {
    try {
      // A failure of ours (unexpected, or the database unavailable: its transaction did not commit) is not
      // a result to replay: free the key so the client may retry.
      if (executed.errors?.some((e) => RETRYABLE.has(String(e.extensions?.code)))) {
        await prisma.idempotencyKey.delete({ where: { scope_key: claim } });
        return;
      }
      const stored = JSON.parse(JSON.stringify({ data: executed.data ?? null, ...(executed.errors ? { errors: executed.errors } : {}) }));
      await prisma.idempotencyKey.update({ where: { scope_key: claim }, data: { response: stored, completedAt: new Date() } });
    } catch (failure) {
      logger.error({ err: failure }, 'could not record an idempotent response');
    }
  }
}
