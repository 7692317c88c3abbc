// Where persisted GraphQL documents come from: the dashboard's reviewed manifest (operations/generated,
// read once at start) and documents analysts registered the APQ way (Redis with a TTL, shared by every
// instance; a bounded in-memory map without Redis). Ids are the sha256 of the text, in lowercase hex.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RedisClient } from './redis.js';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from './logger.js';

export const MANIFEST_URL = new URL('../../operations/generated/persisted-documents.json', import.meta.url);

/** Registrations kept in memory without Redis; the oldest unused goes first. */
const MAX_MEMORY_DOCUMENTS = 1_000;

/**
 * Longest document text (UTF-8 bytes) kept as a registration. The query limits count tokens, not bytes, so
 * without it one registration could be as large as a request body (1 MB). The dashboard's documents are
 * about 1 kB; a longer ad-hoc query still runs for those who may send text, it is only not kept.
 */
export const MAX_REGISTERED_DOCUMENT_BYTES = 20_000;

/** New registrations one user may make per PERSISTED_QUERY_TTL_S (re-registering a kept hash is free). */
export const REGISTRATIONS_PER_VIEWER = 500;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** `sha256:<hex>` (codegen, GraphQL over HTTP `documentId`) or bare `<hex>` (Apollo APQ) to lowercase hex; undefined if neither. */
export function documentHashOf(id: string): string | undefined {
  const match = /^(?:sha256:)?([0-9a-fA-F]{64})$/.exec(id);
  return match?.[1]?.toLowerCase();
}

export interface PersistedDocuments {
  /** The reviewed document with this hash (the dashboard's manifest), if any. */
  trusted(hash: string): string | undefined;
  /** A document registered at run time (APQ); a Redis failure counts as not found. */
  registered(hash: string): Promise<string | undefined>;
  /**
   * Keeps a document whose hash the caller has checked, for `ttlSeconds`, on `owner`'s budget. Text over
   * MAX_REGISTERED_DOCUMENT_BYTES and documents over the owner's budget are not kept (later lookups miss).
   */
  register(hash: string, text: string, owner: string): Promise<void>;
}

/** Reads a codegen manifest (`{ "sha256:<hex>": "<document>" }`), refusing any entry whose hash is not its text's. */
export function loadManifest(url: URL = MANIFEST_URL): Map<string, string> {
  const entries = JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
  const manifest = new Map<string, string>();
  for (const [id, text] of Object.entries(entries)) {
    const hash = documentHashOf(id);
    if (typeof text !== 'string' || hash === undefined || sha256Hex(text) !== hash) {
      throw new Error(`persisted documents manifest ${url.pathname}: entry ${id} does not match its text; run \`npm run codegen\``);
    }
    manifest.set(hash, text);
  }
  return manifest;
}

export function createPersistedDocuments(options: {
  manifest: Map<string, string>;
  ttlSeconds: number;
  redis?: { client: RedisClient; keyPrefix: string };
  logger: Logger;
  /** New registrations per owner per `ttlSeconds` (default REGISTRATIONS_PER_VIEWER). */
  registrationsPerViewer?: number;
}): PersistedDocuments {
  const { manifest, ttlSeconds, redis, logger } = options;
  const store = redis ? redisStore(redis, ttlSeconds, logger) : memoryStore(ttlSeconds);
  // Bounds what one signed-in user can make Redis hold (budget x MAX_REGISTERED_DOCUMENT_BYTES per TTL).
  const points = options.registrationsPerViewer ?? REGISTRATIONS_PER_VIEWER;
  const budget: RateLimiterAbstract = redis
    ? new RateLimiterRedis({
        storeClient: redis.client,
        keyPrefix: `${redis.keyPrefix}pq-budget`,
        points,
        duration: ttlSeconds,
        rejectIfRedisNotReady: true,
      })
    : new RateLimiterMemory({ points, duration: ttlSeconds });
  return {
    trusted: (hash) => manifest.get(hash),
    registered: store.registered,
    async register(hash, text, owner) {
      if (Buffer.byteLength(text, 'utf8') > MAX_REGISTERED_DOCUMENT_BYTES) return;
      if (!(await store.has(hash))) {
        try {
          await budget.consume(owner);
        } catch (error) {
          if (error instanceof RateLimiterRes)
            logger.warn({ owner, hash }, "persisted document not registered: the viewer's registration budget is spent");
          else logger.warn({ err: { message: (error as Error).message }, hash }, 'could not register a persisted document');
          return;
        }
      }
      await store.write(hash, text);
    },
  };
}

function redisStore({ client, keyPrefix }: { client: RedisClient; keyPrefix: string }, ttlSeconds: number, logger: Logger) {
  const key = (hash: string) => `${keyPrefix}pq:${hash}`;
  return {
    async registered(hash: string) {
      try {
        return (await client.get(key(hash))) ?? undefined;
      } catch {
        // Redis trouble is a miss: Apollo's link then sends the text, which analysts may do anyway.
        return undefined;
      }
    },
    async has(hash: string) {
      try {
        return (await client.exists(key(hash))) === 1;
      } catch {
        return false; // then the budget is asked, and fails the same way
      }
    },
    async write(hash: string, text: string) {
      try {
        await client.set(key(hash), text, 'EX', ttlSeconds);
      } catch (error) {
        logger.warn({ err: { message: (error as Error).message }, hash }, 'could not register a persisted document');
      }
    },
  };
}

function memoryStore(ttlSeconds: number) {
  const documents = new Map<string, { text: string; expiresAt: number }>();
  return {
    async registered(hash: string) {
      const entry = documents.get(hash);
      if (!entry) return undefined;
      documents.delete(hash);
      if (entry.expiresAt <= Date.now()) return undefined;
      documents.set(hash, entry); // most recently used last
      return entry.text;
    },
    async has(hash: string) {
      const entry = documents.get(hash);
      return entry !== undefined && entry.expiresAt > Date.now();
    },
    async write(hash: string, text: string) {
      documents.delete(hash);
      documents.set(hash, { text, expiresAt: Date.now() + ttlSeconds * 1_000 });
      if (documents.size > MAX_MEMORY_DOCUMENTS) documents.delete(documents.keys().next().value!);
    },
  };
}
